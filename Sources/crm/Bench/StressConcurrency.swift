import ArgumentParser
import CRMCore
import CRMExchange
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// `crm stress concurrency`: N processes edit the same few clients and their own ones through
/// the real services for a while, R more page the client list; then the parent checks that no
/// lock error reached anyone, no acknowledged save was lost and the file is sound.
///
/// Each client under test keeps a counter at the start of its notes (`17 w3#52`: the count,
/// then who wrote it, so two increments never look alike). A writer reads the client, changes
/// it as a person would (the counter, or the website), and saves with the version it read and
/// the row as its base; on a conflict it reads again and retries. The stored counters must
/// equal the sums of the increments the workers saw acknowledged.
struct StressConcurrency: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "concurrency",
    abstract: tr(
      "Concurrent editors: no lock error, no lost update, readers never wait.",
      "Одновременные редакторы: без ошибок блокировки, без потерянных изменений, читатели не ждут."),
    discussion: tr(
      "Long form: crm stress concurrency --processes 16 --seconds 30",
      "Полностью: crm stress concurrency --processes 16 --seconds 30"))
  @Option(
    help: tr(
      "Writer processes.",
      "Пишущих процессов.")) var processes = 16
  @Option(
    help: tr(
      "Reader processes paging the client list.",
      "Читающих процессов, листающих список клиентов.")) var readers = 4
  @Option(
    help: tr(
      "How long the workers run, in seconds.",
      "Сколько секунд работают процессы.")) var seconds: Double = 30
  @Option(
    help: tr(
      "Random seed.",
      "Случайное зерно.")) var seed: UInt64 = 1
  @Option(
    help: tr(
      "Clients every writer edits (the rest are one per writer).",
      "Клиенты, которых правит каждый пишущий (остальные — по одному на пишущего).")) var shared = 4
  /// `--db`: the scratch database file (must not exist; default: a temporary file, removed).
  @OptionGroup var global: Global
  @Flag(
    help: tr(
      "Print the totals as JSON.",
      "Вывести итоги в JSON.")) var json = false
  @Flag(
    help: ArgumentHelp(
      tr(
        "Save without row versions, as before v7: shows that the check finds lost updates.",
        "Сохранять без версий строк, как до v7: показывает, что проверка находит потерянные изменения."
      ),
      visibility: .hidden))
  var withoutVersions = false

  func validate() throws {
    guard (1...64).contains(processes) else { throw ValidationError("--processes: 1…64") }
    guard (0...64).contains(readers) else { throw ValidationError("--readers: 0…64") }
    guard seconds > 0 && seconds <= 3600 else { throw ValidationError("--seconds: up to 3600") }
    guard (1...50).contains(shared) else { throw ValidationError("--shared: 1…50") }
  }

  func run() throws {
    let fm = FileManager.default
    var scratchDir: String?
    let path: String
    if let db = global.db {
      if fm.fileExists(atPath: db) {
        throw Failure(
          message: "--db: \(db) exists; the harness needs a new scratch file", code: 1)
      }
      path = db
    } else {
      let dir =
        NSTemporaryDirectory() + "crm-stress-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
      try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
      scratchDir = dir
      path = dir + "/stress.sqlite"
    }
    defer { if let scratchDir { try? fm.removeItem(atPath: scratchDir) } }

    // The scratch base: a small demo, an admin per worker, counters at 0.
    let database = try stressCore { try CRMDatabase(path: path) }
    let admin = try stressCore { try database.signIn(login: "stress") }
    var demo = DemoData(seed: seed, now: Date())
    _ = try stressCore { try demo.populate(database, count: max(40, shared + processes + 10)) }
    // The harness's own scratch database (not --db), in English, signed in as `stress`: it
    // makes its own context, the one place in crm besides `Session` that does.
    let core = ServiceContext(db: database, language: .en)
    let users = core.users
    for i in 0..<(processes + readers) {
      _ = try stressCore { try users.add(login: "stress-\(i)", role: .admin) }
    }
    let ids = try stressCore {
      try database.read { db in
        try Int64.fetchAll(
          db, sql: "SELECT id FROM client WHERE deleted_at IS NULL ORDER BY id LIMIT ?",
          arguments: [shared + processes])
      }
    }
    guard ids.count == shared + processes else {
      throw Failure(message: "the demo base has too few clients", code: 1)
    }
    let clients = core.clients
    for id in ids {
      guard var c = try stressCore({ try clients.client(id) }) else { continue }
      c.notes = "0 start"
      c.version = nil
      try stressCore { try clients.update(c) }
    }

    // The -wal left by the set-up is emptied, so its size below is the run's.
    try stressCore {
      try database.write { db in _ = db }
      do {
        _ = try database.queue.writeWithoutTransaction { try $0.checkpoint(.truncate) }
      } catch {
        throw CRMDatabase.map(error, path: path)
      }
    }
    // The workers: copies of this very binary.
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var running: [(Process, Pipe, String)] = []
    let sharedList = ids.prefix(shared).map(String.init).joined(separator: ",")
    for i in 0..<(processes + readers) {
      let p = Process()
      p.executableURL = exe
      var args = [
        "stress", "concurrency-worker", "--db", path, "--user", "stress-\(i)", "--lang", "en",
        "--worker", "\(i)", "--seconds", "\(seconds)", "--seed", "\(seed &+ UInt64(i))",
      ]
      if i < processes {
        args += ["--shared", sharedList, "--own", "\(ids[shared + i])"]
        if withoutVersions { args += ["--without-versions"] }
      } else {
        args += ["--reader"]
      }
      p.arguments = args
      let out = Pipe()
      p.standardOutput = out
      try p.run()
      running.append((p, out, i < processes ? "writer \(i)" : "reader \(i)"))
    }
    // Read every worker's output while sampling the -wal size.
    let outputs = OutputBox(count: running.count)
    let group = DispatchGroup()
    for (n, (_, pipe, _)) in running.enumerated() {
      DispatchQueue.global().async(group: group) {
        outputs.set(n, pipe.fileHandleForReading.readDataToEndOfFile())
      }
    }
    var maxWal: Int64 = 0
    while running.contains(where: { $0.0.isRunning }) {
      maxWal = max(maxWal, database.walSize)
      usleep(50_000)
    }
    group.wait()
    maxWal = max(maxWal, database.walSize)

    var totals = WorkerCounts()
    var failures: [String] = []
    var increments: [Int64: Int] = [:]
    for (n, (p, _, name)) in running.enumerated() {
      let data = outputs.get(n)
      guard p.terminationStatus == 0,
        let counts = try? JSONDecoder().decode(WorkerCounts.self, from: data)
      else {
        failures.append(
          "\(name) failed (exit \(p.terminationStatus)): "
            + String(decoding: data.prefix(300), as: UTF8.self))
        continue
      }
      totals.add(counts)
      for (k, v) in counts.increments { increments[Int64(k) ?? 0, default: 0] += v }
      if let e = counts.firstError { failures.append("\(name): \(e)") }
    }
    if totals.busy > 0 { failures.append("\(totals.busy) lock errors reached workers") }
    if totals.errors > 0 { failures.append("\(totals.errors) other errors in workers") }
    var lost: [String] = []
    for id in ids {
      let notes = try stressCore { try clients.client(id)?.notes } ?? ""
      let stored = StressConcurrencyWorker.counter(notes)
      let acknowledged = increments[id] ?? 0
      if stored != acknowledged {
        lost.append("client \(id): stored \(stored), acknowledged \(acknowledged)")
      }
    }
    if !lost.isEmpty { failures.append("lost updates: " + lost.joined(separator: "; ")) }
    // Reads run on their WAL snapshot: only the CPU can hold them up, never a writer's lock
    // (which would show as the 5 s busy timeout).
    if totals.maxReadMs >= 2500 {
      failures.append("a read took \(totals.maxReadMs) ms: it waited for a writer")
    }
    if maxWal > 4 * CRMDatabase.walLimit {
      failures.append(
        "the -wal grew to \(maxWal / 1024) KiB (limit \(CRMDatabase.walLimit / 1024))")
    }
    let problems = try stressCore { try database.check().problems }
    if !problems.isEmpty { failures.append("check: " + problems.joined(separator: "; ")) }
    let saveRate = Double(totals.saves) / seconds

    if json {
      let object: [String: Any] = [
        "processes": processes, "readers": readers, "seconds": seconds, "seed": seed,
        "saves": totals.saves, "saves_per_second": (saveRate * 10).rounded() / 10,
        "conflicts": totals.conflicts, "busy_retries": totals.retries,
        "busy_errors": totals.busy, "errors": totals.errors, "reads": totals.reads,
        "max_write_ms": totals.maxWriteMs, "max_read_ms": totals.maxReadMs,
        "lost_updates": lost.count, "max_wal_bytes": maxWal,
        "check_problems": problems, "failures": failures, "ok": failures.isEmpty,
      ]
      print(JSONText.text(object))
    } else {
      print(
        """
        \(processes) writers + \(readers) readers, \(seconds) s, seed \(seed):
          saves \(totals.saves) (\(String(format: "%.1f", saveRate))/s), conflicts \(totals.conflicts) (re-read and retried), transactions retried after BUSY \(totals.retries), lock errors \(totals.busy)
          reads \(totals.reads) pages; max write \(totals.maxWriteMs) ms, max read \(totals.maxReadMs) ms
          -wal up to \(maxWal / 1024) KiB; lost updates \(lost.count); check \(problems.isEmpty ? "ok" : "FAILED")
        """)
    }
    if !failures.isEmpty {
      throw Failure(message: failures.joined(separator: "\n"), code: 1)
    }
  }
}

/// One worker of `crm stress concurrency` (run by it, not by people): edits or reads until the
/// time is up, then prints its counts as one JSON object.
/// Not a `CRMCommand`: a failure to open the database (a lock) is counted and reported as JSON
/// with the other counts, not as the user-facing failure the base makes of it.
struct StressConcurrencyWorker: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "concurrency-worker",
    abstract: tr(
      "One process of crm stress concurrency.",
      "Один процесс crm stress concurrency."),
    shouldDisplay: false)
  @OptionGroup var global: Global
  @Option var worker = 0
  @Option var seconds: Double = 3
  @Option var seed: UInt64 = 1
  @Option(
    help: tr(
      "Client ids every writer edits.",
      "Номера клиентов, которых правит каждый пишущий.")) var shared: String = ""
  @Option(
    help: tr(
      "This writer's own client.",
      "Собственный клиент этого пишущего.")) var own: Int64?
  @Flag var reader = false
  @Flag var withoutVersions = false

  /// The counter at the start of a client's notes (0 when there is none).
  static func counter(_ notes: String) -> Int {
    Int(notes.split(separator: " ").first ?? "") ?? 0
  }

  func run() throws {
    var counts = WorkerCounts()
    let database: CRMDatabase
    do {
      database = try global.open()
    } catch let e as CRMError {
      if case .locked = e { counts.busy += 1 } else { counts.errors += 1 }
      counts.firstError = "open: " + e.message(.en)
      emit(counts)
      return
    }
    defer { counts.retries = database.retriedTransactions }
    var rng = SeededRandom(seed: seed)
    let deadline = Date().addingTimeInterval(seconds)
    if reader {
      let total = max(1, (try? database.count(ClientListQuery())) ?? 50)
      var offset = 0
      while Date() < deadline {
        let t0 = Date()
        do {
          _ = try database.page(ClientListQuery(), offset: offset, limit: 50)
          counts.reads += 1
        } catch {
          record(error, &counts)
        }
        counts.maxReadMs = max(counts.maxReadMs, Int(Date().timeIntervalSince(t0) * 1000))
        offset = offset + 50 >= total ? 0 : offset + 50
        usleep(UInt32.random(in: 0...2_000, using: &rng))
      }
      counts.retries = database.retriedTransactions
      emit(counts)
      return
    }
    let hot = shared.split(separator: ",").compactMap { Int64($0) }
    // The worker's context: in English whatever --lang says, as the harness reads its counts.
    let clients = ServiceContext(db: database, language: .en).clients
    var sequence = 0
    while Date() < deadline {
      let id: Int64 =
        own == nil || (!hot.isEmpty && Int.random(in: 0..<10, using: &rng) < 6)
        ? hot.randomElement(using: &rng) ?? own! : own!
      let bumpCounter = Int.random(in: 0..<10, using: &rng) < 7
      sequence += 1
      // Like a person: read, think, change, save; on a conflict read again and redo.
      for _ in 0..<200 {
        if Date() >= deadline.addingTimeInterval(10) { break }
        do {
          let r0 = Date()
          guard let base = try clients.client(id) else {
            counts.errors += 1
            counts.firstError = counts.firstError ?? "client \(id) not found"
            break
          }
          counts.maxReadMs = max(counts.maxReadMs, Int(Date().timeIntervalSince(r0) * 1000))
          usleep(UInt32.random(in: 0...3_000, using: &rng))
          var mine = base
          if bumpCounter {
            mine.notes = "\(Self.counter(base.notes) + 1) w\(worker)#\(sequence)"
          } else {
            mine.website = "w\(worker)-\(sequence).example.ru"
          }
          let t0 = Date()
          do {
            if withoutVersions {
              // Last writer wins, as before row versions: what the harness must catch.
              mine.version = nil
              try clients.update(mine)
            } else {
              try clients.update(mine, base: base)
            }
          } catch let e {
            counts.maxWriteMs = max(counts.maxWriteMs, Int(Date().timeIntervalSince(t0) * 1000))
            throw e
          }
          counts.maxWriteMs = max(counts.maxWriteMs, Int(Date().timeIntervalSince(t0) * 1000))
          counts.saves += 1
          if bumpCounter { counts.increments[String(id), default: 0] += 1 }
          break
        } catch CRMError.conflict {
          counts.conflicts += 1
          continue
        } catch {
          record(error, &counts)
          break
        }
      }
    }
    counts.retries = database.retriedTransactions
    emit(counts)
  }

  func record(_ error: any Error, _ counts: inout WorkerCounts) {
    if case .locked = error as? CRMError {
      counts.busy += 1
    } else {
      counts.errors += 1
    }
    if counts.firstError == nil {
      counts.firstError = (error as? CRMError)?.message(.en) ?? "\(error)"
    }
  }

  func emit(_ counts: WorkerCounts) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: (try? encoder.encode(counts)) ?? Data(), as: UTF8.self))
  }
}

/// What one worker did (and, summed, what all did).
struct WorkerCounts: Codable {
  var saves = 0
  var conflicts = 0
  var retries = 0
  var busy = 0
  var errors = 0
  var reads = 0
  var maxWriteMs = 0
  var maxReadMs = 0
  /// Acknowledged counter increments per client id.
  var increments: [String: Int] = [:]
  var firstError: String?

  mutating func add(_ o: WorkerCounts) {
    saves += o.saves
    conflicts += o.conflicts
    retries += o.retries
    busy += o.busy
    errors += o.errors
    reads += o.reads
    maxWriteMs = max(maxWriteMs, o.maxWriteMs)
    maxReadMs = max(maxReadMs, o.maxReadMs)
  }
}

/// Worker outputs, filled from reading threads.
final class OutputBox: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [Data]
  init(count: Int) { items = Array(repeating: Data(), count: count) }
  func set(_ i: Int, _ d: Data) {
    lock.lock()
    items[i] = d
    lock.unlock()
  }
  func get(_ i: Int) -> Data {
    lock.lock()
    defer { lock.unlock() }
    return items[i]
  }
}

/// A core call in the harness's own process: errors become a failure (exit 1) in English.
func stressCore<T>(_ body: () throws -> T) throws -> T {
  do { return try body() } catch let e as CRMError {
    throw Failure(message: e.message(.en), code: 1)
  }
}

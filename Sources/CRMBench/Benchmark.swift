import CRMApp
import CRMCore
import Foundation
import TerminalUI

/// The benchmark datasets. Contacts and deals join M and L when their issues land.
public enum Dataset: String, CaseIterable, Sendable, Codable {
  case small = "S"
  case medium = "M"
  case large = "L"

  public var clients: Int {
    switch self {
    case .small: return 10_000
    case .medium: return 100_000
    case .large: return 1_000_000
    }
  }
  /// Deals with their stage history: M and L carry about 250,000 deals (55,000 open) and
  /// 1,000,000 stage-history rows, the funnel cases' sizes.
  public var deals: Int {
    switch self {
    case .small: return 10_000
    case .medium, .large: return 250_000
    }
  }
  /// Bank payments (with contracts, invoices and acts of the won deals): M and L carry the
  /// 100,000 payments the reconciliation case asks for.
  public var payments: Int { self == .small ? 10_000 : 100_000 }
  var owners: Int { self == .small ? 10 : 50 }
  /// M asks for 300,000 persons on 100,000 clients: 3–5 per company gives about that.
  var personsPerCompany: ClosedRange<Int> { self == .medium ? 3...5 : 1...3 }
}

/// One line of the report.
public struct BenchCase: Codable, Equatable, Sendable {
  public var name: String
  public var ours: Stats?
  /// The same SQL through the bare C API, when the case has SQL.
  public var bound: Stats?
  /// ours.median / bound.median.
  public var ratio: Double?
  /// Target in `unit` (ms or MB) on this dataset, when one is set.
  public var target: Double?
  public var unit: String
  /// For single readings (memory).
  public var value: Double?
  public var note: String

  public var meetsTarget: Bool? {
    guard let target else { return nil }
    if let ours { return ours.median <= target }
    if let value { return value <= target }
    return nil
  }
}

/// The whole run.
public struct BenchReport: Codable, Sendable {
  public var dataset: Dataset
  public var seed: UInt64
  public var clients: Int
  public var persons: Int
  public var contacts: Int
  public var deals: Int?
  public var stageHistory: Int?
  public var users: Int
  public var machine: String
  public var cases: [BenchCase]
}

public struct BenchOptions: Sendable {
  public var dataset: Dataset
  public var quick: Bool
  public var seed: UInt64
  public var directory: String
  /// The `crm` binary, for process-start and memory probes.
  public var executable: String
  /// Only the cases whose names contain this text.
  public var only: String?

  public init(
    dataset: Dataset, quick: Bool, seed: UInt64, directory: String, only: String? = nil,
    executable: String
  ) {
    self.only = only
    self.dataset = dataset
    self.quick = quick
    self.seed = seed
    self.directory = directory
    self.executable = executable
  }

  var warmup: Int { quick ? 3 : 5 }
  var repetitions: Int { quick ? 15 : 50 }
  var searchRounds: Int { quick ? 3 : 10 }
}

/// Scripted sequences typed into the search box: Cyrillic and Latin name prefixes, a phone.
let searchSequences = ["фёдор", "альфа", "north", "+7 495 1", "ива"]

/// Builds or reuses the dataset, runs every case, returns the report.
@MainActor
public final class Benchmark {
  let options: BenchOptions
  let log: (String) -> Void
  public private(set) var path = ""

  public init(options: BenchOptions, log: @escaping (String) -> Void) {
    self.options = options
    self.log = log
  }

  /// The dataset file for this size, seed and schema; built once, atomically, then reused.
  public func prepareDataset() throws -> String {
    let d = options.dataset
    let file = datasetFile("")
    path = file
    if FileManager.default.fileExists(atPath: file) { return file }
    try FileManager.default.createDirectory(
      atPath: options.directory, withIntermediateDirectories: true)
    try build(
      file, copying: nil,
      note: "building dataset \(d.rawValue): \(d.clients) clients, seed \(options.seed)…"
    ) { db in
      var demo = DemoData(seed: options.seed, now: Date(timeIntervalSince1970: 1_795_000_000))
      demo.ownerCount = d.owners
      demo.personsPerCompany = d.personsPerCompany
      try demo.populate(db, count: d.clients)
      try demo.populateDeals(db, count: d.deals, seed: options.seed)
      try demo.populateMoney(db, payments: d.payments, seed: options.seed)
      _ = try db.user(login: "bench")
    }
    return file
  }

  /// The cached file of a dataset for this size, seed and schema; `kind` prefixes a derived one.
  func datasetFile(_ kind: String) -> String {
    "\(options.directory)/\(kind)\(options.dataset.rawValue)-seed\(options.seed)-schema\(Schema.version)-\(Schema.fingerprint).sqlite"
  }

  /// Builds `file` atomically: under `<file>.building` (a copy of `copying`, when given) filled
  /// by `fill`, checkpointed, closed and then renamed; logs `note` and the time it took.
  func build(
    _ file: String, copying source: String?, note: String, fill: (CRMDatabase) throws -> Void
  ) throws {
    let partial = file + ".building"
    for suffix in ["", "-wal", "-shm"] {
      try? FileManager.default.removeItem(atPath: partial + suffix)
    }
    if let source { try FileManager.default.copyItem(atPath: source, toPath: partial) }
    log(note)
    let seconds = try time {
      let db = try CRMDatabase(path: partial)
      try fill(db)
      try db.queue.writeWithoutTransaction { try $0.checkpoint(.truncate) }
      try db.queue.close()
    }
    try FileManager.default.moveItem(atPath: partial, toPath: file)
    for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: partial + suffix) }
    log(String(format: "built in %.1f s", seconds / 1000))
  }

  func targets(_ name: String) -> Double? {
    let large = options.dataset == .large
    switch name {
    case "first screen", "own clients (visibility own)": return large ? 60 : 30
    case "search keystroke": return large ? 30 : 16
    case "memory (peak resident)": return large ? 60 : 40
    case "crm --version", "crm remind (exec to exit)": return 20
    case "calendar month", "reminders screen", "funnel screen": return 30
    case "funnel report": return 200
    case "bank statement, 10,000 documents": return 1000
    case "reconciliation of 100,000 payments": return 2000
    case "ABC/XYZ": return 1000
    case "completeness report": return 500
    case "activity report", "activity report, whole range": return 200
    case let n where n.hasPrefix("duplicate scan of"): return large ? 30000 : 3000
    case "CSV import of 100,000 clients": return 3000
    case "invoice PDF, one page": return 100
    case "Maildir sync of 50,000 messages, first run": return 10000
    case "Maildir sync of 50,000 messages, second run": return 1000
    default: return 16
    }
  }

  /// The app as a manager starts it: Russian, 80×24, first frame rendered. The manager is signed
  /// in on the first call (as `crm` does on start); later calls time the app alone, as before.
  static func openApp(_ db: CRMDatabase, login: String = "bench") throws -> App {
    if db.viewer.user?.login != login { try db.signIn(login: login) }
    let context = AppContext(db: db, language: .ru, timeZone: TimeZone(identifier: "UTC")!)
    let app = App(term: MemoryTerminal(rows: 24, cols: 80), context: context)
    app.render()
    return app
  }

  func result(_ name: String, ours: [Double], bound: [Double]?, note: String) -> BenchCase {
    let o = Stats(ours)
    let b = bound.map(Stats.init)
    let ratio = b.flatMap { $0.median > 0 ? o.median / $0.median : nil }
    return BenchCase(
      name: name, ours: o, bound: b, ratio: ratio, target: targets(name), unit: "ms", value: nil,
      note: note)
  }

  /// Open the database, build the app, render the client list at 80×24.
  func firstScreen() throws -> BenchCase {
    let query = ClientListQuery()
    let visible = 19
    let (ours, bound) = try sampled(warmup: options.warmup, runs: options.repetitions) { _ in
      let t = try time {
        let db = try CRMDatabase(path: path)
        _ = try Self.openApp(db)
        try db.queue.close()
      }
      let b = try time {
        let raw = try RawSQLite(path: path)
        try raw.run(query.countStatement())
        try raw.run(query.pageStatement(offset: 0, limit: visible))
      }
      return (t, b)
    }
    return result(
      "first screen", ours: ours, bound: bound,
      note: "open the file, migrate check, user, count and first page, render 80×24")
  }

  /// Each keystroke of the scripted searches: key handled and frame rendered.
  func searchKeystrokes(_ db: CRMDatabase) throws -> BenchCase {
    let app = try Self.openApp(db)
    var ours: [Double] = []
    var bound: [Double] = []
    var byPrefix: [String: [Double]] = [:]
    let raw = try RawSQLite(path: path)
    for round in 0..<(options.searchRounds + 1) {
      for sequence in searchSequences {
        app.handle(.char("/"))
        var typed = ""
        for ch in sequence {
          typed.append(ch)
          let t = time {
            app.handle(.char(ch))
            app.render()
          }
          let q = ClientListQuery(search: typed)
          let page = try db.pageStatements(q, offset: 0, limit: 19)
          let b = try time {
            try raw.run(q.countStatement(cap: ClientsScreen.initialCap))
            for statement in page { try raw.run(statement) }
          }
          if round > 0 {
            ours.append(t)
            bound.append(b)
            byPrefix[typed, default: []].append(t)
          }
        }
        app.handle(.escape)
      }
    }
    let slowest = byPrefix.map { ($0.key, Stats($0.value).median) }.sorted { $0.1 > $1.1 }.prefix(3)
    return result(
      "search keystroke", ours: ours, bound: bound,
      note: "prefixes of \(searchSequences.map { "«\($0)»" }.joined(separator: ", ")); slowest: "
        + slowest.map { String(format: "«%@» %.1f ms", $0.0, $0.1) }.joined(separator: ", "))
  }

  /// PgDn from the top of the list, 100 times.
  func pageDown(_ db: CRMDatabase) throws -> BenchCase {
    let app = try Self.openApp(db)
    var ours: [Double] = []
    var bound: [Double] = []
    let raw = try RawSQLite(path: path)
    let query = ClientListQuery()
    for round in 0..<(options.quick ? 2 : 4) {
      app.handle(.char("g"))
      app.render()
      for k in 1...100 {
        let t = time {
          app.handle(.pageDown)
          app.render()
        }
        let b = try time { try raw.run(query.pageStatement(offset: k * 19, limit: 19)) }
        if round > 0 {
          ours.append(t)
          bound.append(b)
        }
      }
    }
    return result("page down ×100", ours: ours, bound: bound, note: "per key, 19 rows a page")
  }

  /// A manager under `visibility own` (one of 50 on M): the first screen of their clients. The setting is set for the sign-in and put back at once, so the
  /// cached dataset and every other case stay as they were.
  func ownClients(_ db: CRMDatabase) throws -> BenchCase {
    let previous = try db.settings().value("visibility") ?? "all"
    let mine = try CRMDatabase(path: path)
    defer { try? mine.queue.close() }
    // The setting is changed through a connection nobody signed in to, as an internal tool:
    // `db` acts as the bench's manager since the first screen opened.
    let tool = try CRMDatabase(path: path)
    defer { try? tool.queue.close() }
    try tool.setSetting("visibility", "own", language: .en)
    let viewer = try mine.signIn(login: Self.manager)
    try tool.setSetting("visibility", previous, language: .en)
    let raw = try RawSQLite(path: path)
    let query = mine.visible(ClientListQuery())
    let (ours, bound) = try sampled(warmup: options.warmup, runs: options.repetitions) { _ in
      let t = try time { _ = try Self.openApp(mine, login: Self.manager) }
      let b = try time {
        try raw.run(query.countStatement())
        try raw.run(try mine.pageStatement(query, offset: 0, limit: 19))
      }
      return (t, b)
    }
    let total = try mine.count(query)
    return result(
      "own clients (visibility own)", ours: ours, bound: bound,
      note: "\(Self.manager) signed in under `\(viewer.access == .all ? "all" : "own")` sees "
        + "\(total) clients: open the app, count and first page, render 80×24; "
        + "bound: the same count and page SQL")
  }

  /// Open a client card from the list (requisites tab) and go back.
  func clientCard(_ db: CRMDatabase) throws -> BenchCase {
    let app = try Self.openApp(db)
    var ours: [Double] = []
    var bound: [Double] = []
    let raw = try RawSQLite(path: path)
    let rows = try db.page(ClientListQuery(), offset: 0, limit: 19)
    for round in 0..<(options.warmup + options.repetitions) {
      let index = round % rows.count
      app.handle(.char("g"))
      for _ in 0..<index { app.handle(.down) }
      app.render()
      let t = time {
        app.handle(.enter)
        app.render()
      }
      app.handle(.char("q"))
      let id = rows[index].id
      let b = try time {
        for sql in Self.cardSQL { try raw.run(SQLStatement(sql: sql, arguments: [.integer(id)])) }
      }
      if round >= options.warmup {
        ours.append(t)
        bound.append(b)
      }
    }
    return result(
      "client card", ours: ours, bound: bound,
      note: "Enter on a row: client, phones, e-mails, accounts, tags, persons, history")
  }

  /// What the card reads, as bare SQL.
  static let cardSQL = [
    "SELECT * FROM client WHERE id = ?1",
    "SELECT raw, e164 FROM phone WHERE client_id = ?1 AND person_id IS NULL ORDER BY position",
    "SELECT address FROM email WHERE client_id = ?1 AND person_id IS NULL ORDER BY position",
    "SELECT * FROM bank_account WHERE client_id = ?1 ORDER BY position",
    "SELECT tag FROM client_tag WHERE client_id = ?1 ORDER BY position",
    """
    SELECT cp.*, p.raw, e.address FROM contact_person cp
    LEFT JOIN phone p ON p.person_id = cp.id LEFT JOIN email e ON e.person_id = cp.id
    WHERE cp.client_id = ?1 AND cp.deleted_at IS NULL
    """,
    "SELECT * FROM audit WHERE client_id = ?1 ORDER BY id DESC LIMIT 200",
    "SELECT * FROM app_user",
  ]

  /// Digits 4–6: the funnel, activity and reports screens, switched to and drawn.
  func otherScreens(_ db: CRMDatabase) throws -> BenchCase {
    let app = try Self.openApp(db)
    var ours: [Double] = []
    for round in 0..<(options.warmup + options.repetitions) {
      for digit in "456" {
        let t = time {
          app.handle(.char(digit))
          app.render()
        }
        if round >= options.warmup { ours.append(t) }
      }
      app.handle(.char("1"))
    }
    return result(
      "screens 4–6", ours: ours, bound: nil,
      note:
        "switch to funnel, activity (this week by days) and reports; each is built once, then reused"
    )
  }

  /// The demo owner whose contacts the contact cases read (a manager with a full book).
  static let manager = "ivanova"

  /// The calendar's month view of one manager, moving a month back and forth: each move reads
  /// the six weeks shown by one SQL query. Bound: the same statement through the C API.
  func calendarMonth(_ db: CRMDatabase) throws -> BenchCase {
    let app = try Self.openApp(db, login: Self.manager)
    app.handle(.char("2"))
    app.handle(.char("M"))
    app.render()
    let screen = app.current as! CalendarScreen
    let raw = try RawSQLite(path: path)
    var rows = 0
    let (ours, bound) = try sampled(warmup: options.warmup, runs: options.repetitions) { i in
      let key: Key = i % 2 == 0 ? .pageDown : .pageUp
      let t = time {
        app.handle(key)
        app.render()
      }
      rows = screen.items.count
      let r = screen.range
      let statement = app.context.contacts.plannedStatement(
        from: r.start, to: r.end, scope: screen.scope, limit: CalendarScreen.limit + 1)
      let b = try time { _ = try raw.run(statement) }
      return (t, b)
    }
    return result(
      "calendar month", ours: ours, bound: bound,
      note: "\(Self.manager)'s six weeks (\(rows) contacts), key to frame; bound: the same SQL")
  }

  /// The reminders screen from scratch (as after a change): the ranked overdue and due-today
  /// contacts of one manager and the count of clients losing touch, rendered at 80×24.
  func remindersScreen(_ db: CRMDatabase) throws -> BenchCase {
    let app = try Self.openApp(db, login: Self.manager)
    app.handle(.char("3"))
    app.render()
    let screen = app.current as! RemindersScreen
    let raw = try RawSQLite(path: path)
    let (ours, bound) = try sampled(warmup: options.warmup, runs: options.repetitions) { _ in
      let t = time {
        screen.dataChanged()
        app.render()
      }
      let now = db.clock.now()
      let statement = app.context.contacts.remindersStatement(
        scope: screen.scope, at: now, horizon: app.context.contacts.endOfDay(now),
        limit: RemindersScreen.limit)
      let b = try time { _ = try raw.run(statement) }
      return (t, b)
    }
    return result(
      "reminders screen", ours: ours, bound: bound,
      note:
        "\(Self.manager): \(screen.reminderTotal) reminders, \(screen.losingTotal) losing touch; bound: one page of the reminders SQL"
    )
  }

  /// The funnel screen of a supervisor (everyone's deals) after a change: totals per stage and
  /// the visible cards re-read, rendered at 80×24. Bound: the SQL of the totals, the stuck
  /// counts and one page of cards per visible column through the C API.
  func funnelScreen(_ db: CRMDatabase) throws -> BenchCase {
    let app = try Self.openApp(db, login: Self.manager)
    app.handle(.char("4"))
    app.render()
    let screen = app.current as! FunnelScreen
    if screen.filter.ownerId != nil {
      app.handle(.char("u"))
      app.render()
    }
    let raw = try RawSQLite(path: path)
    let open = try app.context.pipelines.pipeline().openStages
    let now = db.clock.now().timeIntervalSince1970
    var statements = [
      SQLStatement(
        sql: """
          SELECT stage_id, currency, deals, amount, default_amount, own_weighted FROM stage_total
          WHERE stage_id IN (\(open.map { String($0.id) }.joined(separator: ", "))) AND deals > 0
          """, arguments: [])
    ]
    for s in open {
      if let days = s.stuckDays {
        statements.append(
          SQLStatement(
            sql: """
              SELECT count(*) FROM deal INDEXED BY deal_open_by_stage
              WHERE closed_at IS NULL AND stage_id = ? AND stage_at < ?
              """, arguments: [.integer(s.id), .real(now - Double(days) * 86400)]))
      }
    }
    for s in open.prefix(screen.visibleColumns) {
      statements.append(
        SQLStatement(
          sql: """
            SELECT d.id, d.title, d.amount, d.currency, d.stage_at, cl.name,
              coalesce(u.login, '?')
            FROM deal d JOIN client cl ON cl.id = d.client_id
            LEFT JOIN app_user u ON u.id = d.owner_id
            WHERE d.closed_at IS NULL AND d.stage_id = ?
            ORDER BY d.stage_at, d.id LIMIT ?
            """, arguments: [.integer(s.id), .integer(Int64(screen.cardsPerColumn))]))
    }
    let (ours, bound) = try sampled(warmup: options.warmup, runs: options.repetitions) { _ in
      let t = time {
        screen.dataChanged()
        app.render()
      }
      let b = try time { for st in statements { _ = try raw.run(st) } }
      return (t, b)
    }
    let openDeals = screen.columns.reduce(0) { $0 + $1.count }
    return result(
      "funnel screen", ours: ours, bound: bound,
      note:
        "everyone's \(openDeals) open deals, \(screen.visibleColumns) of \(open.count) columns shown; bound: totals, stuck counts and visible cards SQL"
    )
  }

  /// The funnel report of the default pipeline over all time: conversion from every deal's
  /// furthest stage, mean and median days over every completed stay in the stage history, won /
  /// lost / revenue by owner, source and month. Bound: its scan of the deals through the C API.
  func funnelReport(_ db: CRMDatabase) throws -> BenchCase {
    let analytics = FunnelAnalytics(
      ServiceContext(db: db, language: .ru, timeZone: TimeZone(identifier: "UTC")!))
    let raw = try RawSQLite(path: path)
    let statements = [
      """
      SELECT owner_id, source, created_at, reached_stage_id, status, closed_at, currency, amount
      FROM deal WHERE pipeline_id = 1
      """
    ].map { SQLStatement(sql: $0, arguments: []) }
    var stays = 0
    let (ours, bound) = try sampled(warmup: 2, runs: options.quick ? 5 : 15) { _ in
      var report: FunnelReport?
      let t = try time { report = try analytics.funnel(FunnelReportQuery()) }
      stays = report?.stages.reduce(0) { $0 + $1.stays } ?? 0
      let b = try time {
        for st in statements { _ = try raw.run(st) }
      }
      return (t, b)
    }
    return result(
      "funnel report", ours: ours, bound: bound,
      note: "all time, \(stays) completed stays; bound: the scan of the deals")
  }

  /// `crm remind --short` for the manager, as a shell prompt runs it: exec to exit. The floor is
  /// `crm --version` (start-up alone).
  func remindCommand() -> BenchCase {
    let (ours, bound) = sampled(warmup: options.warmup, runs: options.repetitions) { _ in
      let t = spawnAndWait(
        options.executable, ["remind", "--short", "--db", path, "--user", Self.manager]
      ).ms
      let b = spawnAndWait(options.executable, ["--version"]).ms
      return (t, b)
    }
    return result(
      "crm remind (exec to exit)", ours: ours, bound: bound,
      note: "remind --short for \(Self.manager); bound: crm --version (process start alone)")
  }

  /// `crm --version`, exec to exit; the floor is `/bin/true`.
  func processStart() -> BenchCase {
    let (ours, bound) = sampled(warmup: options.warmup, runs: options.repetitions) { _ in
      let t = spawnAndWait(options.executable, ["--version"]).ms
      let b = spawnAndWait("/bin/true", []).ms
      return (t, b)
    }
    return result("crm --version", ours: ours, bound: bound, note: "exec to exit; bound: /bin/true")
  }

  /// Peak resident memory of a separate `crm` process that opens the dataset, renders the first
  /// screen, types every search and pages down 100 times (so the dataset build and this
  /// harness are not counted).
  func memory() -> BenchCase {
    let out = NSTemporaryDirectory() + "crm-bench-memory-\(getpid())"
    defer { try? FileManager.default.removeItem(atPath: out) }
    let run = spawnAndWait(options.executable, ["bench", "--probe-memory", path], output: out)
    let kb = (try? String(contentsOfFile: out, encoding: .utf8)).flatMap {
      Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    let mb = kb.map { Double($0) / 1024 }
    return BenchCase(
      name: "memory (peak resident)", ours: nil, bound: nil, ratio: nil,
      target: targets("memory (peak resident)"), unit: "MB", value: mb,
      note: run.status == 0
        ? "first screen, all searches, page down ×100, in a fresh process"
        : "probe failed (exit \(run.status))")
  }

  /// Runs every case that exists today.
  public func run() throws -> BenchReport {
    _ = try prepareDataset()
    let db = try CRMDatabase(path: path)
    let counts = try db.read { db in
      (
        try Int.fetchOne(db, sql: "SELECT count(*) FROM client") ?? 0,
        try Int.fetchOne(db, sql: "SELECT count(*) FROM contact_person") ?? 0,
        try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user") ?? 0,
        try Int.fetchOne(db, sql: "SELECT count(*) FROM contact") ?? 0,
        try Int.fetchOne(db, sql: "SELECT count(*) FROM deal") ?? 0,
        try Int.fetchOne(db, sql: "SELECT count(*) FROM deal_stage") ?? 0
      )
    }
    var cases: [BenchCase] = []
    for (name, body) in [
      ("first screen", { try self.firstScreen() }),
      ("search keystroke", { try self.searchKeystrokes(db) }),
      ("page down", { try self.pageDown(db) }),
      ("client card", { try self.clientCard(db) }),
      ("own clients", { try self.ownClients(db) }),
      ("screens 4–6", { try self.otherScreens(db) }),
      ("calendar month", { try self.calendarMonth(db) }),
      ("reminders screen", { try self.remindersScreen(db) }),
      ("funnel screen", { try self.funnelScreen(db) }),
      ("funnel report", { try self.funnelReport(db) }),
      ("bank statement", { try self.bankImport() }),
      ("reconciliation", { try self.reconciliation(db) }),
      ("invoice PDF", { try self.invoicePDF(db) }),
      ("ABC/XYZ", { try self.classification() }),
      ("completeness report", { try self.completenessReport(db) }),
      ("activity report", { try self.activityReport(wholeRange: false) }),
      ("activity report, whole range", { try self.activityReport(wholeRange: true) }),
      ("duplicate scan", { try self.duplicateScan(db) }),
      ("CSV import", { try self.csvImport() }),
      ("crm remind", { self.remindCommand() }),
      ("crm --version", { self.processStart() }),
      ("memory", { self.memory() }),
    ] as [(String, () throws -> BenchCase)] {
      if let only = options.only, !name.localizedCaseInsensitiveContains(only) { continue }
      log("running \(name)…")
      cases.append(try body())
    }
    // Writing and syncing 50,000 message files takes minutes: a full run's case, or asked for
    // by name; the quick gate in CI leaves it out.
    if let only = options.only, "maildir sync".localizedCaseInsensitiveContains(only) {
      log("running maildir sync…")
      cases += try maildirSync()
    }
    cases += Self.notBuiltYet(options.dataset)
    return BenchReport(
      dataset: options.dataset, seed: options.seed, clients: counts.0, persons: counts.1,
      contacts: counts.3, deals: counts.4, stageHistory: counts.5, users: counts.2,
      machine: Self.machine(), cases: cases)
  }

  /// Cases whose features have not landed, listed with their targets so the table shows the
  /// whole picture; each feature issue replaces its line with a measurement.
  nonisolated static func notBuiltYet(_ d: Dataset) -> [BenchCase] {
    let rows: [(String, Double?)] = []
    return rows.map {
      BenchCase(
        name: $0.0, ours: nil, bound: nil, ratio: nil, target: $0.1, unit: "ms", value: nil,
        note: "not built yet")
    }
  }

  nonisolated static func machine() -> String {
    var parts: [String] = []
    if let cpu = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = cpu.split(separator: "\n").first(where: { $0.hasPrefix("model name") })
    {
      parts.append(line.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces))
    }
    parts.append("\(ProcessInfo.processInfo.activeProcessorCount) cores")
    parts.append(
      String(format: "%.0f GiB", Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824))
    return parts.joined(separator: ", ")
  }

  /// The memory probe's work: what a manager does in the first minute.
  public static func probeMemory(path: String) throws -> Int {
    let db = try CRMDatabase(path: path)
    let app = try openApp(db)
    for sequence in searchSequences {
      app.handle(.char("/"))
      for ch in sequence {
        app.handle(.char(ch))
        app.render()
      }
      app.handle(.escape)
    }
    for _ in 0..<100 {
      app.handle(.pageDown)
      app.render()
    }
    return peakResidentKB() ?? 0
  }
}

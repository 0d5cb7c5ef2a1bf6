import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The package root, from this file's location.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built `crm`: `$CRM_BIN`, or the debug build next to the tests.
let crmBinary: String = {
  if let bin = ProcessInfo.processInfo.environment["CRM_BIN"], !bin.isEmpty { return bin }
  return packageRoot.appendingPathComponent(".build/debug/crm").path
}()

/// Runs a program to completion; returns exit status, standard output and standard error.
/// Uses posix_spawn and waitpid with output in files: Foundation's Process never reaps a
/// `tmux new-session` client here, because the tmux server it forks keeps inherited descriptors.
@discardableResult
func run(_ program: String, _ args: [String], env: [String: String] = [:]) throws -> (
  status: Int32, out: String, err: String
) {
  let base = NSTemporaryDirectory() + "crm-e2e-out-" + UUID().uuidString
  defer {
    unlink(base + ".out")
    unlink(base + ".err")
  }
  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
  posix_spawn_file_actions_addopen(&actions, 1, base + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  posix_spawn_file_actions_addopen(&actions, 2, base + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  var environment = ProcessInfo.processInfo.environment
  for (k, v) in env { environment[k] = v }
  let argv = ([program] + args).map { strdup($0) } + [nil]
  let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
  defer {
    for p in argv { free(p) }
    for p in envp { free(p) }
  }
  // Children start with no blocked signals, whatever this test thread blocks.
  var attributes = posix_spawnattr_t()
  posix_spawnattr_init(&attributes)
  defer { posix_spawnattr_destroy(&attributes) }
  var empty = sigset_t()
  sigemptyset(&empty)
  posix_spawnattr_setsigmask(&attributes, &empty)
  posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
  var pid: pid_t = 0
  let rc = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
  if rc != 0 { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EINVAL) }
  var status: Int32 = 0
  while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
  let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
  let o = FileManager.default.contents(atPath: base + ".out") ?? Data()
  let e = FileManager.default.contents(atPath: base + ".err") ?? Data()
  return (code, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

func which(_ name: String) -> String? {
  for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
  {
    let path = "\(dir)/\(name)"
    if FileManager.default.isExecutableFile(atPath: path) { return path }
  }
  return nil
}

/// A private tmux server running `crm` in one 80×24 window.
final class TmuxSession {
  let socket = "crm-e2e-" + UUID().uuidString.prefix(8)
  let tmux: String

  init(_ command: String, cols: Int = 80, rows: Int = 24) throws {
    tmux = try #require(
      which("tmux"), "tmux is needed for end-to-end tests (scripts/test.sh installs it)")
    try run(
      tmux,
      [
        "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", "\(cols)", "-y", "\(rows)",
        "-s", "t", command,
      ])
  }

  func keys(_ keys: String...) throws {
    try run(tmux, ["-L", socket, "send-keys", "-t", "t"] + keys)
  }
  func type(_ text: String) throws {
    try run(tmux, ["-L", socket, "send-keys", "-t", "t", "-l", text])
  }
  func screen() throws -> String {
    try run(tmux, ["-L", socket, "capture-pane", "-p", "-t", "t"]).out
  }
  func resize(cols: Int, rows: Int) throws {
    try run(tmux, ["-L", socket, "resize-window", "-t", "t", "-x", "\(cols)", "-y", "\(rows)"])
  }

  /// Waits until the screen contains `text`; returns the last screen either way.
  func waitFor(_ text: String, seconds: Double = 15) throws -> String {
    let deadline = Date().addingTimeInterval(seconds)
    var last = ""
    while Date() < deadline {
      last = try screen()
      if last.contains(text) { return last }
      Thread.sleep(forTimeInterval: 0.1)
    }
    return last
  }

  func alive() throws -> Bool {
    try run(tmux, ["-L", socket, "has-session", "-t", "t"]).status == 0
  }

  /// Waits until the program in the window has ended (a sanitized crm takes a second to quit);
  /// true when it did within `seconds`.
  func waitUntilGone(seconds: Double = 15) throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while try alive() {
      if Date() >= deadline { return false }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return true
  }

  deinit { _ = try? run(tmux, ["-L", socket, "kill-server"]) }
}

/// A temporary folder with a database path inside.
struct Scratch {
  let dir = NSTemporaryDirectory() + "crm-e2e-" + UUID().uuidString
  var db: String { dir + "/crm.sqlite" }
  init() {
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  }
  func remove() { try? FileManager.default.removeItem(atPath: dir) }
}

/// `LANG=ru_RU.UTF-8` as in containers where that locale is not generated: crm must fall back to
/// C.UTF-8 for characters and still speak Russian.
func crmCommand(_ db: String, extra: String = "") -> String {
  "env LANG=ru_RU.UTF-8 LC_ALL= TERM=xterm-256color \(crmBinary) --db \(db) --user anna \(extra)"
}

@Suite(.serialized) struct EndToEndTests {
  @Test func opensTheDemoDatabaseAndShowsCyrillicNames() throws {
    let s = Scratch()
    defer { s.remove() }
    let demo = try run(crmBinary, ["demo", "--db", s.db, "--clients", "300", "--seed", "5"])
    #expect(demo.status == 0, "\(demo.err)")
    let tmux = try TmuxSession(crmCommand(s.db))
    let screen = try tmux.waitFor("клиентов: 300")
    #expect(screen.contains("1 Клиенты"))
    #expect(screen.contains("Название"))
    #expect(screen.contains("ООО «") || screen.contains("АО «"))
    // Every line fits 80 columns: Cyrillic takes one column each even without ru_RU locale.
    for line in screen.split(separator: "\n") { #expect(line.count <= 80) }
    try tmux.keys("q")
    #expect(try tmux.waitUntilGone())
  }

  @Test func typingASearchNarrowsTheList() throws {
    let s = Scratch()
    defer { s.remove() }
    try run(crmBinary, ["demo", "--db", s.db, "--clients", "200"])
    let add = try run(
      crmBinary,
      [
        "client", "add", "--db", s.db, "--name", "Ёлочка", "--legal-form", "ООО", "--phone",
        "+7 812 700-01-02",
      ])
    #expect(add.status == 0, "\(add.err)")
    let tmux = try TmuxSession(crmCommand(s.db))
    _ = try tmux.waitFor("клиентов: 201\n")
    try tmux.keys("/")
    try tmux.type("елоч")
    let found = try tmux.waitFor("клиентов: 1\n")
    #expect(found.contains("ООО «Ёлочка»"))
    try tmux.keys("Escape")
    #expect(try tmux.waitFor("клиентов: 201\n").contains("клиентов: 201"))
    try tmux.keys("/")
    try tmux.type("700-01")
    #expect(try tmux.waitFor("клиентов: 1\n").contains("Ёлочка"))
  }

  @Test func addsAClientWithTheKeyboard() throws {
    let s = Scratch()
    defer { s.remove() }
    let tmux = try TmuxSession(crmCommand(s.db))
    _ = try tmux.waitFor("Клиентов пока нет")
    try tmux.keys("a")
    _ = try tmux.waitFor("Новый клиент")
    try tmux.type("Рога и копыта")
    try tmux.keys("Tab")
    try tmux.type("8 (812) 555-12-34")
    try tmux.keys("C-s")
    let saved = try tmux.waitFor("добавлен")
    #expect(saved.contains("Клиент «Рога и копыта» добавлен"))
    try tmux.keys("q")
    #expect(try tmux.waitUntilGone())
    let sqlite = try #require(which("sqlite3"), "sqlite3 is needed (scripts/test.sh installs it)")
    let rows = try run(
      sqlite,
      [s.db, "SELECT c.name, p.raw, p.e164 FROM client c JOIN phone p ON p.client_id = c.id"])
    #expect(rows.out == "Рога и копыта|8 (812) 555-12-34|+78125551234\n")
  }

  @Test func tooSmallThenResized() throws {
    let s = Scratch()
    defer { s.remove() }
    let tmux = try TmuxSession(crmCommand(s.db), cols: 60, rows: 20)
    #expect(try tmux.waitFor("слишком маленькое").contains("60×20"))
    try tmux.resize(cols: 100, rows: 30)
    let resized = try tmux.waitFor("Поиск:")
    #expect(resized.contains("Клиентов пока нет"), "\(resized)")
  }

  @Test func cliExitCodesAndMessages() throws {
    let s = Scratch()
    defer { s.remove() }
    let bad = try run(
      crmBinary,
      ["client", "add", "--db", s.db, "--name", "X", "--inn", "7707083894", "--lang", "ru"])
    #expect(bad.status == 1)
    #expect(bad.err.contains("ИНН: неверная контрольная цифра"))
    let id = try run(
      crmBinary, ["client", "add", "--db", s.db, "--name", "Вектор", "--inn", "7707083893"])
    #expect(id.status == 0)
    let json = try run(crmBinary, ["search", "--db", s.db, "вект", "--json"])
    let array = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [[String: Any]]
    #expect(array?.first?["name"] as? String == "Вектор")
    #expect(
      array?.first?["id"] as? Int == Int(id.out.trimmingCharacters(in: .whitespacesAndNewlines)))
    let notDB = s.dir + "/notes.txt"
    try Data("hello".utf8).write(to: URL(fileURLWithPath: notDB))
    let refused = try run(crmBinary, ["client", "list", "--db", notDB, "--lang", "en"])
    #expect(refused.status == 2)
    #expect(refused.err.contains("not an SQLite database"))
    #expect(try String(contentsOfFile: notDB, encoding: .utf8) == "hello")
    let usage = try run(crmBinary, ["client", "show"])
    #expect(usage.status == 1)
    let check = try run(crmBinary, ["check", "--db", s.db, "--lang", "en"])
    #expect(check.status == 0)
    #expect(check.out.contains("integrity: ok"))
    let noTTY = try run(crmBinary, ["--db", s.db])
    #expect(noTTY.status == 2)
  }
}

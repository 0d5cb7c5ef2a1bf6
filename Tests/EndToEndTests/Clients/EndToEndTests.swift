import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

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

import Foundation
import Testing

/// The real binary under a file size limit (`prlimit --fsize`): every write past the limit
/// fails like a full disk. The import and the bulk change fail whole with a message that names
/// the limit, the TUI stays up, and the database is sound and unchanged afterwards.
@Suite(.serialized) struct DiskFullTests {
  /// 60,000 bytes: room for the WAL index (32 KiB) and a few pages of WAL, not for 2,000 clients.
  static let limit = "60000"

  func demo(_ s: Scratch) throws {
    let r = try run(
      crmBinary, ["demo", "--db", s.db, "--user", "anna", "--clients", "300", "--seed", "1"])
    #expect(r.status == 0, "\(r.err)")
  }

  func limited(_ s: Scratch, _ args: [String]) throws -> (status: Int32, out: String, err: String) {
    let prlimit = try #require(which("prlimit"), "prlimit (util-linux) is needed")
    return try run(
      prlimit,
      ["--fsize=\(Self.limit)", crmBinary] + args + [
        "--db", s.db, "--user", "anna", "--lang", "en",
      ])
  }

  @Test func anImportAndABulkChangePastTheLimitFailWholeAndSayWhy() throws {
    let s = Scratch()
    defer { s.remove() }
    try demo(s)
    var csv = "Название;Телефон;Город\n"
    for i in 1...2_000 { csv += "Лимит \(i);+7 901 \(String(format: "%07d", i));Тверь\n" }
    let file = s.dir + "/big.csv"
    try csv.write(toFile: file, atomically: true, encoding: .utf8)

    let imported = try limited(s, ["import", "csv", file])
    #expect(imported.status == 2, "\(imported.out) \(imported.err)")
    #expect(imported.err.contains("the file size limit (ulimit -f) is \(Self.limit) bytes"))
    #expect(imported.err.contains("this action was not saved and nothing is half-written"))
    #expect(try sqlite(s, "SELECT count(*) FROM client").contains("300"))
    #expect(try sqlite(s, "SELECT count(*) FROM import_batch").contains("0"))

    let bulk = try limited(s, ["bulk", "add-tag", "акция", "--all"])
    #expect(bulk.status == 2, "\(bulk.out) \(bulk.err)")
    #expect(try sqlite(s, "SELECT count(*) FROM client_tag WHERE tag = 'акция'").contains("0"))

    let check = try crm(s, ["check", "--deep"], lang: "en")
    #expect(check.status == 0, "\(check.out) \(check.err)")
    #expect(check.out.contains("integrity: ok"))
    // With the limit gone, the same change goes through.
    #expect(try crm(s, ["bulk", "add-tag", "акция", "--all"]).status == 0)
    #expect(try sqlite(s, "SELECT count(*) FROM client_tag WHERE tag = 'акция'").contains("300"))
  }

  @Test func theTUIStaysUpAndShowsTheWholeMessage() throws {
    let s = Scratch()
    defer { s.remove() }
    try demo(s)
    let prlimit = try #require(which("prlimit"), "prlimit (util-linux) is needed")
    let tmux = try TmuxSession("\(prlimit) --fsize=\(Self.limit) " + crmCommand(s.db))
    _ = try tmux.waitFor("клиентов: 300")
    try tmux.keys("/")
    try tmux.type("ООО")
    try tmux.keys("Enter")
    _ = try tmux.waitFor("Поиск: ООО")
    try tmux.keys("B")
    _ = try tmux.waitFor("добавить тег")
    try tmux.keys("t")
    _ = try tmux.waitFor("Добавить тег")
    try tmux.type("акция")
    try tmux.keys("C-s")
    _ = try tmux.waitFor("y — да")
    try tmux.keys("y")
    // The message wraps over several lines: read them as one text.
    func flat(_ screen: String) -> String {
      screen.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        .joined(separator: " ")
    }
    var screen = try tmux.waitFor("ошибка ввода-вывода")
    let shown = Date().addingTimeInterval(10)
    while !flat(screen).contains("затем выполните crm check."), Date() < shown {
      Thread.sleep(forTimeInterval: 0.1)
      screen = try tmux.screen()
    }
    screen = flat(screen)
    #expect(screen.contains("затем выполните crm check."))
    // The TUI names the file, not its whole path.
    #expect(screen.contains("ошибка ввода-вывода диска с crm.sqlite (disk I/O error)"))
    #expect(screen.contains("ограничение размера файла (ulimit -f) — \(Self.limit) байт"))
    #expect(screen.contains("действие не сохранено"))
    #expect(try tmux.alive())
    // The next key clears the message and the list is there, still filtered.
    try tmux.keys("j")
    var after = try tmux.screen()
    let cleared = Date().addingTimeInterval(10)
    while after.contains("ulimit"), Date() < cleared {
      Thread.sleep(forTimeInterval: 0.1)
      after = try tmux.screen()
    }
    #expect(!after.contains("ulimit"))
    #expect(after.contains("Поиск: ООО"))
    #expect(after.contains("ООО «"))
    try tmux.keys("q")
    #expect(try tmux.waitUntilGone())
    #expect(try sqlite(s, "SELECT count(*) FROM client_tag WHERE tag = 'акция'").contains("0"))
    let check = try crm(s, ["check", "--deep"], lang: "en")
    #expect(check.status == 0, "\(check.out) \(check.err)")
  }
}

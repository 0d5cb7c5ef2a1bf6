import Foundation
import Testing

/// Issue #20, items 1 and 5, through the real `crm` in tmux: `u` in a card takes back the call
/// planned there (after naming it) and nothing else; typed text is not dropped by Esc or Ctrl-C
/// without a question.
@Suite(.serialized) struct UndoEndToEndTests {
  func sql(_ db: String, _ query: String) throws -> String {
    let sqlite = try #require(which("sqlite3"), "sqlite3 is needed (scripts/test.sh installs it)")
    return try run(sqlite, [db, query]).out
  }

  @Test func theCardUndoesThePlannedCallOnlyAndUnsavedInputIsAskedAbout() throws {
    let s = Scratch()
    defer { s.remove() }
    for (user, name) in [("anna", "Другой клиент"), ("anna", "Технопарк Северный")] {
      let add = try run(crmBinary, ["client", "add", "--db", s.db, "--user", user, "--name", name])
      #expect(add.status == 0, "\(add.err)")
    }
    // boris (another user) plans a call with Технопарк too: anna's `u` must never reach it.
    let park = try sql(s.db, "SELECT id FROM client WHERE name = 'Технопарк Северный'")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let his = try run(
      crmBinary,
      [
        "contact", "plan", "--db", s.db, "--user", "boris", "--client", park, "--kind", "call",
        "--at", "2030-01-15 11:00",
      ])
    #expect(his.status == 0, "\(his.err)")
    let tmux = try TmuxSession(crmCommand(s.db))
    _ = try tmux.waitFor("Технопарк")
    try tmux.keys("/")
    try tmux.type("Технопарк")
    try tmux.keys("Enter", "Enter")
    _ = try tmux.waitFor("Реквизиты")
    try tmux.keys("p")
    _ = try tmux.waitFor("Запланировать контакт: Технопарк Северный")
    try tmux.keys("C-s")
    _ = try tmux.waitFor("Запланировано на")
    #expect(try sql(s.db, "SELECT count(*) FROM contact") == "2\n")
    try tmux.keys("u")
    let asked = try tmux.waitFor("Отменить: план звонка")
    #expect(asked.contains("Технопарк Северный"))
    #expect(try sql(s.db, "SELECT count(*) FROM contact") == "2\n")  // nothing before y
    try tmux.keys("y")
    _ = try tmux.waitFor("Отменено: план звонка")
    try tmux.keys("u")
    let second = try tmux.waitFor("Нечего отменять")
    #expect(second.contains("Нечего отменять"))
    // Only anna's call is gone; boris's stays; no client went to the trash.
    #expect(try sql(s.db, "SELECT count(*) FROM contact") == "1\n")
    #expect(
      try sql(s.db, "SELECT u.login FROM contact c JOIN app_user u ON u.id = c.user_id")
        == "boris\n")
    #expect(try sql(s.db, "SELECT count(*) FROM client WHERE deleted_at IS NOT NULL") == "0\n")
    #expect(
      try sql(s.db, "SELECT count(*) FROM change_set WHERE undo_of IS NOT NULL") == "1\n")

    // Esc in a form with typed text asks; n keeps the text, and it can be saved.
    try tmux.keys("Escape")
    _ = try tmux.waitFor("клиентов")
    try tmux.keys("a")
    _ = try tmux.waitFor("Новый клиент")
    try tmux.type("Лютик")
    try tmux.keys("Escape")
    _ = try tmux.waitFor("Закрыть форму")
    try tmux.keys("n")
    _ = try tmux.waitFor("Продолжайте")
    try tmux.keys("C-s")
    _ = try tmux.waitFor("добавлен")
    #expect(try sql(s.db, "SELECT count(*) FROM client WHERE name = 'Лютик'") == "1\n")
    // Ctrl-C with typed text asks; n stays, y quits without saving.
    try tmux.keys("a")
    _ = try tmux.waitFor("Новый клиент")
    try tmux.type("Астра")
    try tmux.keys("C-c")
    _ = try tmux.waitFor("Всё равно выйти")
    try tmux.keys("n")
    _ = try tmux.waitFor("Выход отменён")
    #expect(try tmux.alive())
    try tmux.keys("C-c")
    _ = try tmux.waitFor("Всё равно выйти")
    try tmux.keys("y")
    #expect(try tmux.waitUntilGone())
    #expect(try sql(s.db, "SELECT count(*) FROM client WHERE name = 'Астра'") == "0\n")
    #expect(try sql(s.db, "SELECT count(*) FROM client") == "3\n")
  }
}

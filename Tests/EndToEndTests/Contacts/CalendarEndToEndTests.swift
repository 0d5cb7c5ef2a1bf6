import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite(.serialized) struct CalendarEndToEndTests {
  /// A manager logs a call with a next contact in 3 days from the clients list, then finds that
  /// contact in the calendar's day view three days on; the database holds both.
  @Test func logACallWithANextContactAndFindItInTheCalendar() throws {
    let s = Scratch()
    defer { s.remove() }
    let add = try run(
      crmBinary, ["client", "add", "--db", s.db, "--user", "anna", "--name", "Ромашка"])
    #expect(add.status == 0, "\(add.err)")
    // The whole day is working, so «+3d» keeps the time; a weekend still moves to Monday.
    try workAllDay(s)
    let days = workingDays(3)
    let tmux = try TmuxSession(crmCommand(s.db))
    _ = try tmux.waitFor("Ромашка")
    try tmux.keys("l")
    _ = try tmux.waitFor("Какой вид?")
    try tmux.keys("c")
    _ = try tmux.waitFor("Записать звонок: Ромашка")
    try tmux.type("Просят КП")
    try tmux.keys("Tab", "Tab")
    try tmux.type("+3d")
    try tmux.keys("C-s")
    let logged = try tmux.waitFor("Записано.")
    #expect(logged.contains("Следующий: "))
    try tmux.keys("2")
    _ = try tmux.waitFor("неделя")
    try tmux.keys("D")
    _ = try tmux.waitFor("день")
    for _ in 0..<days { try tmux.keys("Right") }
    let day = try tmux.waitFor("Ромашка")
    #expect(day.contains("звонок"))
    let sqlite = try #require(which("sqlite3"), "sqlite3 is needed (scripts/test.sh installs it)")
    let rows = try run(
      sqlite,
      [
        s.db,
        """
        SELECT status, kind, outcome, round((coalesce(due_at, 0) - coalesce(done_at, 0)) / 86400)
        FROM contact ORDER BY id
        """,
      ])
    let lines = rows.out.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)
    #expect(lines.first == "done|call|Просят КП|0.0")
    #expect(lines.last?.hasPrefix("planned|call||") == true)
    let gap = try run(
      sqlite,
      [
        s.db,
        "SELECT round((max(due_at) - min(done_at)) / 86400) FROM contact",
      ])
    #expect(gap.out == "\(days).0\n")
    try tmux.keys("q")
  }
}

import Foundation
import Testing

/// Issue #20, items 2 and 3, through the real `crm`: follow-ups land in working hours on working
/// days whatever the hour the manager works at, and counts and lists tell the whole truth.
@Suite(.serialized) struct FirstHourEndToEndTests {
  /// Runs `sql` on the database; the rows as lines of `|`-separated fields.
  func query(_ s: Scratch, _ sql: String) throws -> [String] {
    let sqlite = try #require(which("sqlite3"), "sqlite3 is needed (scripts/test.sh installs it)")
    let r = try run(sqlite, [s.db, sql])
    #expect(r.status == 0, "\(r.err)")
    return r.out.split(separator: "\n").map(String.init)
  }

  func ok(_ s: Scratch, _ args: [String]) throws -> String {
    let r = try crm(s, args)
    #expect(r.status == 0, "\(args): \(r.err)")
    return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// A one-hour working day that starts three hours after now (UTC), so now is always outside
  /// it: every relative follow-up must land exactly at its start on a working day.
  func narrowDay(_ s: Scratch) throws -> Int {
    var utc = Calendar(identifier: .gregorian)
    utc.timeZone = TimeZone(identifier: "UTC")!
    let start = (utc.component(.hour, from: Date()) + 3) % 24
    // day_end first when it grows, day_start first when it shrinks: never end before start.
    _ = try ok(s, ["settings", "set", "day_end", "24", "--user", "anna"])
    _ = try ok(s, ["settings", "set", "day_start", "\(start)", "--user", "anna"])
    _ = try ok(s, ["settings", "set", "day_end", "\(start + 1)", "--user", "anna"])
    return start
  }

  /// Hour (UTC), weekday (0 = Sunday … 6 = Saturday) and whole days from now of a contact's due.
  func due(_ s: Scratch, _ id: String) throws -> (hour: Int, minute: Int, weekday: Int, days: Int) {
    let row = try query(
      s,
      """
      SELECT CAST(strftime('%H', due_at, 'unixepoch') AS INTEGER),
        CAST(strftime('%M', due_at, 'unixepoch') AS INTEGER),
        CAST(strftime('%w', due_at, 'unixepoch') AS INTEGER),
        CAST(julianday(date(due_at, 'unixepoch')) - julianday(date('now')) AS INTEGER)
      FROM contact WHERE id = \(id)
      """)
    let f = try #require(row.first).split(separator: "|").map { Int($0)! }
    return (f[0], f[1], f[2], f[3])
  }

  @Test func followUpsLandInWorkingHoursOnWorkingDays() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    let start = try narrowDay(s)
    // "через 3 дня": on the third day (or the Monday after it), at day_start.
    let plan = try ok(
      s, ["contact", "plan", "--client", client, "--kind", "call", "--at", "через 3 дня"])
    var d = try due(s, plan)
    #expect(d.hour == start && d.minute == 0 && (1...5).contains(d.weekday))
    #expect(d.days == workingDays(3))
    // No answer: the 2 h retry is not at night but at the next start of working hours.
    let retryLine = try ok(s, ["contact", "no-answer", plan])
    let retry = try #require(
      retryLine.split(separator: "№").last?.split(separator: ":").first.map(String.init))
    d = try due(s, retry)
    #expect(d.hour == start && d.minute == 0 && (1...5).contains(d.weekday))
    #expect((0...3).contains(d.days))
    // Postpone +1 day and +2 hours: within working hours too.
    _ = try ok(s, ["contact", "postpone", retry, "--to", "+1d"])
    d = try due(s, retry)
    #expect(d.hour == start && d.minute == 0 && (1...5).contains(d.weekday))
    #expect(d.days == workingDays(1))
    _ = try ok(s, ["contact", "postpone", retry, "--to", "+2h"])
    d = try due(s, retry)
    #expect(d.hour == start && d.minute == 0 && (1...5).contains(d.weekday))
    // --next +5d: never a Saturday evening.
    _ = try ok(
      s, ["contact", "log", "--client", client, "--kind", "call", "--next", "+5d"])
    let next = try #require(
      try query(s, "SELECT max(id) FROM contact WHERE status = 'planned'").first)
    d = try due(s, next)
    #expect(d.hour == start && d.minute == 0 && (1...5).contains(d.weekday))
    #expect(d.days == workingDays(5))
    // Typed times stay as typed.
    let typed = try ok(
      s, ["contact", "plan", "--client", client, "--kind", "call", "--at", "+3d 23:30"])
    d = try due(s, typed)
    #expect(d.hour == 23 && d.minute == 30 && d.days == 3)
  }

  @Test func postponeFromTheRemindersScreenLandsInWorkingHours() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    let start = try narrowDay(s)
    let id = try ok(
      s, ["contact", "plan", "--client", client, "--kind", "call", "--at=-1h", "--subject", "Счёт"])
    let tmux = try TmuxSession(crmCommand(s.db))
    _ = try tmux.waitFor("Ромашка")
    try tmux.keys("3")
    _ = try tmux.waitFor("Счёт")
    try tmux.keys("z")
    _ = try tmux.waitFor("Перенести")
    try tmux.keys("2")
    _ = try tmux.waitFor("Перенесено на")
    let d = try due(s, id)
    #expect(d.hour == start && d.minute == 0 && (1...5).contains(d.weekday))
    #expect(d.days == workingDays(1))
    try tmux.keys("q")
  }

  @Test func theDemoPlansCallsInWorkingHours() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try ok(s, ["settings", "set", "day_start", "9", "--user", "anna"])
    _ = try ok(s, ["settings", "set", "day_end", "17", "--user", "anna"])
    _ = try ok(s, ["demo", "--clients", "400", "--user", "anna"])
    let bad = try query(
      s,
      """
      SELECT count(*) FROM contact WHERE status = 'planned' AND (
        CAST(strftime('%H', due_at, 'unixepoch') AS INTEGER) NOT BETWEEN 9 AND 16
        OR strftime('%w', due_at, 'unixepoch') IN ('0', '6'))
      """)
    #expect(bad == ["0"])
    let planned = try query(s, "SELECT count(*) FROM contact WHERE status = 'planned'")
    #expect(Int(planned.first ?? "0")! > 50)
  }

  /// 1 135 overdue calls, 3 due later today and 345 overdue invoices, written straight to SQL.
  func bigBase(_ s: Scratch) throws {
    let client = try addClient(s)
    _ = try query(
      s,
      """
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1135)
      INSERT INTO contact (client_id, kind, direction, status, due_at, duration_min, subject,
        outcome, notes, user_id, author_id, remind_at, recurrence, attempt, sequence, created_at,
        updated_at)
      SELECT \(client), 'call', 'out', 'planned', unixepoch('now', '-20 days') + i * 60, 0,
        'Звонок ' || i, '', '', u.id, u.id, NULL, '', 0, 0, unixepoch(), unixepoch()
      FROM n, app_user u WHERE u.login = 'anna';
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 345)
      INSERT INTO invoice (client_id, number, number_key, date, due_date, total, created_at,
        updated_at)
      SELECT \(client), 'С-' || i, 'с-' || i, date('now', '-60 days'), date('now', '-30 days'),
        100000, unixepoch(), unixepoch()
      FROM n;
      """)
  }

  @Test func countsAreExactAndListsGoToTheirEnd() throws {
    let s = Scratch()
    defer { s.remove() }
    try bigBase(s)
    // crm remind --json: every one of them, not the first 1 000.
    let remind = try #require(try json(try ok(s, ["remind", "--all", "--json"])) as? [Any])
    #expect(remind.count == 1135)
    let limited = try #require(
      try json(try ok(s, ["remind", "--all", "--json", "--limit", "10"])) as? [Any])
    #expect(limited.count == 10)
    let text = try crm(s, ["remind"])
    #expect(text.out.contains("Просроченные счета: 345"))
    #expect(text.out.split(separator: "\n").count == 1135 + 1)
    // crm invoice list --json: all 345, not 100; as text the first 100 and a word about the rest.
    let invoices = try #require(try json(try ok(s, ["invoice", "list", "--json"])) as? [Any])
    #expect(invoices.count == 345)
    let page = try crm(s, ["invoice", "list"])
    #expect(page.status == 0)
    #expect(page.err.contains("--offset 100"))
    let contacts = try #require(try json(try ok(s, ["contact", "list", "--json"])) as? [Any])
    #expect(contacts.count == 1135)
    // The Reminders screen: exact counts, and End reaches the last overdue invoice.
    let tmux = try TmuxSession(crmCommand(s.db))
    _ = try tmux.waitFor("Ромашка")
    try tmux.keys("3")
    let screen = try tmux.waitFor("Напоминания · мои")
    let header = screen.split(separator: "\n").dropFirst().first.map(String.init) ?? ""
    #expect(header.contains("просрочено: 1\u{00A0}135"), "\(screen)")
    #expect(header.contains("счета: 345"), "\(screen)")
    try tmux.keys("G")  // the last row (End too, where the terminal sends it as ncurses expects)
    let end = try tmux.waitFor("С-345")
    #expect(end.contains("№ С-345"), "\(end)")
    // Up into the overdue calls past the first 500: the 1 135th is there, «no answer» on it
    // marks that very call.
    for _ in 0..<345 { try tmux.keys("Up") }
    let last = try tmux.waitFor("Звонок 1135")
    #expect(last.contains("Звонок 1135"), "\(last)")
    try tmux.keys("n")
    _ = try tmux.waitFor("повтор")
    let missed = try query(s, "SELECT subject FROM contact WHERE status = 'missed'")
    #expect(missed == ["Звонок 1135"])
    try tmux.keys("q")
  }
}

import CRMExchange
import Foundation
import Testing

@Suite(.serialized) struct ContactCommandTests {
  @Test func loggingWithNextPlansTheNextContactThreeDaysLater() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    try workAllDay(s)
    let before = Date()
    let log = try crm(
      s,
      [
        "contact", "log", "--client", client, "--kind", "звонок", "--outcome", "КП отправлено",
        "--next", "+3d",
      ])
    #expect(log.status == 0, "\(log.err)")
    #expect(Int(log.out.trimmingCharacters(in: .whitespacesAndNewlines)) != nil)
    #expect(log.err.contains("следующий контакт №2"))
    let list = try #require(
      try json(try crm(s, ["contact", "list", "--json"]).out) as? [[String: Any]])
    #expect(list.count == 2)
    let planned = try #require(list.first { $0["status"] as? String == "planned" })
    let done = try #require(list.first { $0["status"] as? String == "done" })
    #expect(done["outcome"] as? String == "КП отправлено")
    let due = try #require(isoDate(planned["due"] as? String ?? ""))
    // Three days on at the same time (the whole day is working), a weekend moved to Monday.
    #expect(abs(due.timeIntervalSince(before) - Double(workingDays(3, from: before)) * 86400) < 60)
    #expect(planned["kind"] as? String == "call")
    let agenda = try #require(
      try json(try crm(s, ["agenda", "--json"]).out) as? [[String: Any]])
    #expect(agenda.map { $0["id"] as? Int } == [planned["id"] as? Int])
    let text = try crm(s, ["agenda"])
    #expect(text.status == 0)
    #expect(text.out.contains("звонок") && text.out.contains("ООО «Ромашка»"))
    let f = DateFormatter()
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "dd.MM.yyyy"
    #expect(text.out.contains(f.string(from: due)))
    let short = try crm(s, ["agenda", "--days", "2"])
    #expect(short.out.contains("Ничего не запланировано"))
  }

  @Test func remindCarriesItsFieldsAndMarksOverdue() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    let late = try crm(
      s, ["contact", "plan", "--client", client, "--kind", "call", "--at=-2h", "--subject", "Счёт"])
    #expect(late.status == 0, "\(late.err)")
    let soon = try crm(
      s, ["contact", "plan", "--client", client, "--kind", "встреча", "--at", "+30m"])
    #expect(soon.status == 0, "\(soon.err)")
    _ = try crm(s, ["contact", "plan", "--client", client, "--kind", "call", "--at", "+5h"])
    let r = try crm(s, ["remind", "--json"])
    #expect(r.status == 0, "\(r.err)")
    let items = try #require(try json(r.out) as? [[String: Any]])
    #expect(items.count == 2)
    let first = items[0]
    for key in [
      "id", "client", "client_id", "kind", "due", "overdue", "late_minutes", "user",
      "subject",
    ] {
      #expect(first[key] != nil, "missing \(key)")
    }
    #expect(first["id"] as? Int == Int(late.out.trimmingCharacters(in: .whitespacesAndNewlines)))
    #expect(first["overdue"] as? Bool == true)
    #expect((119...121).contains(first["late_minutes"] as? Int ?? 0))
    #expect(first["client"] as? String == "ООО «Ромашка»")
    #expect(first["user"] as? String == "anna")
    #expect(first["subject"] as? String == "Счёт")
    #expect(first["kind"] as? String == "call")
    #expect(items[1]["overdue"] as? Bool == false)
    #expect(items[1]["kind"] as? String == "meeting")
    let short = try crm(s, ["remind", "--short"])
    #expect(short.out == "⏰1 просрочено · 1 скоро\n")
    // `--json` is unknown to the hand parser of the prompt line: ArgumentParser takes over and
    // must print the same.
    #expect(try crm(s, ["remind", "--short", "--json"]).out == short.out)
    let wider = try crm(s, ["remind", "--short", "--within", "6h"], lang: "en")
    #expect(wider.out == "⏰1 overdue · 2 soon\n")
    let done = try crm(s, ["contact", "done", first["id"].map { "\($0)" } ?? ""])
    #expect(done.status == 0, "\(done.err)")
    let other = Scratch()
    defer { other.remove() }
    _ = try addClient(other)
    #expect(try crm(other, ["remind", "--short"]).out.isEmpty)
  }

  @Test func badTimesExitOneNamingTheProblem() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    func plan(_ at: String) throws -> (status: Int32, out: String, err: String) {
      try crm(s, ["contact", "plan", "--client", client, "--kind", "call", "--at", at])
    }
    let feb = try plan("31.02.2026 10:00")
    #expect(feb.status == 1)
    #expect(feb.err.contains("--at") && feb.err.contains("31.02.2026"))
    #expect(feb.err.contains("28"))
    let hour = try plan("25:00")
    #expect(hour.status == 1)
    #expect(hour.err.contains("25:00") && hour.err.contains("от 0 до 23"))
    let words = try plan("someday")
    #expect(words.status == 1)
    #expect(words.err.contains("someday") && words.err.contains("25.11.2026 10:00"))
    #expect(words.err.contains("+3d") && words.err.contains("завтра"))
    let kind = try crm(s, ["contact", "plan", "--client", client, "--kind", "пинг", "--at", "+1d"])
    #expect(kind.status == 1)
    #expect(kind.err.contains("пинг") && kind.err.contains("встреча") && kind.err.contains("call"))
    let postpone = try crm(s, ["contact", "postpone", "1", "--to", "вчерашний день"])
    #expect(postpone.status == 1 && postpone.err.contains("--to"))
    #expect(try crm(s, ["contact", "list", "--json"]).out == "[\n\n]\n")
  }

  @Test func trashUnknownUsersAndInactiveTargetsAreRefused() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    let kept = try addClient(s, "Вектор")
    #expect(try crm(s, ["client", "delete", client]).status == 0)
    let trash = try crm(
      s, ["contact", "plan", "--client", client, "--kind", "call", "--at", "+1d"])
    #expect(trash.status == 1)
    #expect(trash.err.contains("«Ромашка» в корзине"))
    let plan = try crm(s, ["contact", "plan", "--client", kept, "--kind", "call", "--at", "+1d"])
    #expect(plan.status == 0, "\(plan.err)")
    let id = plan.out.trimmingCharacters(in: .whitespacesAndNewlines)
    let ghost = try crm(s, ["contact", "reassign", id, "--to", "ghost"])
    #expect(ghost.status == 1)
    #expect(ghost.err.contains("нет пользователя «ghost»"))
    let remind = try crm(s, ["remind", "--user", "ghost"], lang: "en")
    #expect(remind.status == 1)
    #expect(remind.err.contains("no user «ghost»"))
    let from = try crm(s, ["handover", "--from", "ghost", "--to", "anna"])
    #expect(from.status == 1 && from.err.contains("«ghost»"))
    #expect(try crm(s, ["client", "add", "--name", "Сигма", "--user", "boris"]).status == 0)
    let sqlite = try #require(which("sqlite3"), "sqlite3 is needed (scripts/test.sh installs it)")
    try run(sqlite, [s.db, "UPDATE app_user SET active=0 WHERE login='boris'"])
    for extra in [[], ["--dry-run"]] {
      let h = try crm(s, ["handover", "--from", "anna", "--to", "boris"] + extra)
      #expect(h.status == 1)
      #expect(h.err.contains("boris: деактивирован"))
    }
    #expect(try run(sqlite, [s.db, "SELECT count(*) FROM client WHERE owner_id = 2"]).out == "1\n")
    try run(sqlite, [s.db, "UPDATE app_user SET active=1 WHERE login='boris'"])
    let dry = try crm(s, ["handover", "--from", "anna", "--to", "boris", "--dry-run"])
    #expect(dry.status == 0, "\(dry.err)")
    #expect(
      dry.out.contains("Будет передано от anna к boris: клиентов 1, запланированных контактов 1"))
    let moved = try crm(s, ["handover", "--from", "anna", "--to", "boris"], lang: "en")
    #expect(moved.out.contains("Moved from anna to boris: clients 1, planned contacts 1"))
    let show = try #require(
      try json(try crm(s, ["contact", "show", id, "--json"]).out) as? [String: Any])
    #expect(show["user"] as? String == "boris")
  }

  @Test func exportedCalendarParsesBackWithStableUIDs() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    let plan = try crm(
      s,
      [
        "contact", "plan", "--client", client, "--kind", "call", "--at", "2030-03-05 14:30",
        "--duration", "30m", "--repeat", "2w",
      ], tz: "Europe/Moscow")
    #expect(plan.status == 0, "\(plan.err)")
    let id = plan.out.trimmingCharacters(in: .whitespacesAndNewlines)
    let out = s.dir + "/cal.ics"
    let export = try crm(
      s, ["export", "ics", "--out", out, "--from", "2030-03-01", "--to", "2030-03-31"],
      tz: "Europe/Moscow")
    #expect(export.status == 0, "\(export.err)")
    #expect(export.out.contains("1"))
    let text = try String(contentsOfFile: out, encoding: .utf8)
    let cal = try ICalendar.parse(text)
    let events = cal.all("VEVENT")
    #expect(events.count == 1)
    let e = try #require(events.first)
    let sqlite = try #require(which("sqlite3"))
    let token = try run(sqlite, [s.db, "SELECT value FROM setting WHERE key = 'db_token'"]).out
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(token.count == 32)
    #expect(e.first("UID")?.value == "contact-\(id)@\(token)")
    #expect(e.first("DTSTART")?.value == "20300305T143000")
    #expect(e.first("DTSTART")?.parameters["TZID"] == "Europe/Moscow")
    #expect(e.first("DTEND")?.value == "20300305T150000")
    #expect(e.first("SUMMARY")?.value == "Звонок: ООО «Ромашка»")
    #expect(e.first("RRULE")?.value == "FREQ=WEEKLY;INTERVAL=2")
    // The same UID on the next export; no temporary file left behind.
    _ = try crm(s, ["export", "ics", "--out", out, "--from", "2030-03-01", "--to", "2030-03-31"])
    #expect(try String(contentsOfFile: out, encoding: .utf8).contains("UID:contact-\(id)@\(token)"))
    let left = try FileManager.default.contentsOfDirectory(atPath: s.dir)
    #expect(!left.contains { $0.contains(".tmp-") })
    let empty = try crm(s, ["export", "ics", "--out", out])
    #expect(empty.out.contains(": 0"))
  }

  @Test func paneShowsAContactAnotherProcessMadeOverdue() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    let tmux = try TmuxSession(
      "env TZ=UTC LANG=ru_RU.UTF-8 LC_ALL= TERM=xterm-256color \(crmBinary) pane --db \(s.db) "
        + "--user anna", cols: 60, rows: 8)
    let empty = try tmux.waitFor("Просроченных и на сегодня нет")
    #expect(empty.contains("Просрочено: 0"), "\(empty)")
    let plan = try crm(
      s, ["contact", "plan", "--client", client, "--kind", "call", "--at=-2h", "--subject", "Счёт"])
    #expect(plan.status == 0, "\(plan.err)")
    let start = Date()
    let screen = try tmux.waitFor("ООО «Ромашка»", seconds: 5)
    #expect(Date().timeIntervalSince(start) < 2.5)
    #expect(screen.contains("+2 ч") && screen.contains("Счёт"), "\(screen)")
    #expect(screen.contains("Просрочено: 1"))
    try tmux.keys("q")
    #expect(try tmux.waitUntilGone())
  }
}

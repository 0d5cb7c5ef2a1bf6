import Foundation
import Testing

/// A database with anna (admin), boris and vera (managers) and sam (supervisor), one client each,
/// and contacts, clients and a won deal written by hand in January 2026 (UTC): weeks of 5 and 12
/// January. boris: calls 2 + 1, meeting 1, e-mail 1, request 1 (other), missed 1, a new client,
/// a deal won for 1 500,50 ₽; vera: call 1 in the second week.
func activityBase(_ s: Scratch) throws {
  _ = try addClient(s, "База")
  let t = { (day: Int, hour: Int) -> Int in
    1_767_225_600 + (day - 1) * 86400 + hour * 3600  // 2026-01-01 00:00 UTC + …
  }
  _ = try sqlite(
    s,
    """
    INSERT INTO app_user (login, name, role, created_at) VALUES
      ('boris', 'Борис', 'manager', 0), ('vera', 'Вера', 'manager', 0),
      ('sam', 'Сэм', 'supervisor', 0);
    UPDATE client SET owner_id = (SELECT id FROM app_user WHERE login = 'boris'),
      created_by = (SELECT id FROM app_user WHERE login = 'boris');
    INSERT INTO client (kind, name, name_key, owner_id, created_by, created_at, updated_at)
      VALUES ('company', 'Лютик', 'лютик', (SELECT id FROM app_user WHERE login = 'boris'),
        (SELECT id FROM app_user WHERE login = 'boris'), \(t(6, 10)), \(t(6, 10)));
    INSERT INTO contact (client_id, kind, status, due_at, done_at, subject, user_id, created_at,
      updated_at)
    SELECT 1, k, st, at, CASE WHEN st = 'planned' THEN NULL ELSE at END, subj,
      (SELECT id FROM app_user WHERE login = who), at, at
    FROM (
      SELECT 'call' AS k, 'done' AS st, \(t(5, 9)) AS at, 'Звонок один' AS subj, 'boris' AS who
      UNION ALL SELECT 'call', 'done', \(t(6, 9)), 'Звонок два', 'boris'
      UNION ALL SELECT 'call', 'done', \(t(13, 9)), 'Звонок три', 'boris'
      UNION ALL SELECT 'meeting', 'done', \(t(7, 9)), 'Встреча', 'boris'
      UNION ALL SELECT 'email', 'done', \(t(14, 9)), 'Письмо', 'boris'
      UNION ALL SELECT 'request', 'done', \(t(8, 9)), 'Заявка', 'boris'
      UNION ALL SELECT 'call', 'missed', \(t(9, 9)), 'Не ответил', 'boris'
      UNION ALL SELECT 'call', 'done', \(t(15, 9)), 'Звонок Веры', 'vera'
      UNION ALL SELECT 'call', 'done', \(t(20, 9)), 'После периода', 'boris'
    );
    INSERT INTO deal (pipeline_id, stage_id, reached_stage_id, status, client_id, title, amount,
      currency, owner_id, created_at, updated_at, stage_at, closed_at)
    SELECT 1, id, id, 'won', 1, 'Станки', 150050, 'RUB',
      (SELECT id FROM app_user WHERE login = 'boris'), \(t(2, 9)), \(t(2, 9)), \(t(2, 9)),
      \(t(12, 15))
    FROM stage ORDER BY position LIMIT 1;
    """)
}

@Suite(.serialized) struct ActivityEndToEndTests {
  let period = ["--from", "2026-01-05", "--to", "2026-01-18"]

  @Test func jsonRowsAreExact() throws {
    let s = Scratch()
    defer { s.remove() }
    try activityBase(s)
    let rows = try jsonArray(s, ["report", "activity"] + period)
    let boris = try #require(rows.first { $0["user"] as? String == "boris" })
    #expect(boris["calls"] as? Int == 3)
    #expect(boris["meetings"] as? Int == 1)
    #expect(boris["emails"] as? Int == 1)
    #expect(boris["letters"] as? Int == 0)
    #expect(boris["other"] as? Int == 1)
    #expect(boris["missed"] as? Int == 1)
    #expect(boris["overdue"] as? Int == 0)
    #expect(boris["new_clients"] as? Int == 1)
    #expect(boris["deals_won"] as? Int == 1)
    #expect(boris["revenue_rub"] as? String == "1500.50")
    #expect(boris["revenue_rub_kopecks"] as? Int == 150_050)
    #expect(boris["from"] as? String == "2026-01-05" && boris["to"] as? String == "2026-01-18")
    let vera = try #require(rows.first { $0["user"] as? String == "vera" })
    #expect(vera["calls"] as? Int == 1)
    let team = try #require(rows.first { $0["team"] as? Bool == true })
    #expect(team["calls"] as? Int == 4)
    // Only boris, by week.
    let weeks = try jsonArray(
      s, ["report", "activity", "--manager", "boris", "--by", "week"] + period)
    let b = weeks.filter { $0["user"] as? String == "boris" }
    #expect(b.map { $0["bucket"] as? String } == ["2026-01-05", "2026-01-12", "total"])
    #expect(b.map { $0["calls"] as? Int } == [2, 1, 3])
    #expect(b.map { $0["emails"] as? Int } == [0, 1, 1])
    #expect(!weeks.contains { $0["user"] as? String == "vera" })
    // `--user boris` acts as boris and shows his row (the form); `--manager all` shows
    // everyone boris may see (all, by default visibility).
    let asBoris = try jsonArray(s, ["report", "activity", "--user", "boris"] + period)
    #expect(Set(asBoris.compactMap { $0["user"] as? String }) == ["boris"])
    #expect(asBoris.first { $0["user"] as? String == "boris" }?["calls"] as? Int == 3)
    let all = try jsonArray(
      s, ["report", "activity", "--user", "boris", "--manager", "all"] + period)
    #expect(all.contains { $0["user"] as? String == "vera" })
  }

  @Test func csvHasAHeaderAndTheSameNumbers() throws {
    let s = Scratch()
    defer { s.remove() }
    try activityBase(s)
    let out = try ok(s, ["report", "activity", "--csv", "--by", "week"] + period)
    let lines = out.components(separatedBy: "\r\n")
    #expect(
      lines[0]
        == "user,team,bucket,from,to,calls,meetings,letters,emails,other,missed,planned,overdue,"
        + "new_clients,deals_moved,deals_won,revenue_rub_kopecks")
    #expect(lines.contains("boris,0,2026-01-05,2026-01-05,2026-01-11,2,1,0,0,1,1,0,0,1,0,0,0"))
    #expect(lines.contains("boris,0,2026-01-12,2026-01-12,2026-01-18,1,0,0,1,0,0,0,0,0,0,1,150050"))
    #expect(lines.contains(",1,total,2026-01-05,2026-01-18,4,1,0,1,1,1,0,0,1,0,1,150050"))
    let text = try ok(s, ["report", "activity", "--by", "week"] + period)
    #expect(text.contains("boris — Борис"))
    #expect(text.contains("Итого по команде"))
    #expect(fits(text))
    #expect(fits(try ok(s, ["report", "activity"] + period)))
  }

  @Test func badInputExitsOne() throws {
    let s = Scratch()
    defer { s.remove() }
    try activityBase(s)
    let by = try crm(s, ["report", "activity", "--by", "year"])
    #expect(by.status == 1 && by.err.contains("--by: «year» — не day, week или month"))
    let en = try crm(s, ["report", "activity", "--by", "year"], lang: "en")
    #expect(en.status == 1 && en.err.contains("--by: «year» is not day, week or month"))
    let who = try crm(s, ["report", "activity", "--manager", "nobody"])
    #expect(who.status == 1 && who.err.contains("--manager: нет пользователя «nobody»"))
    let back = try crm(s, ["report", "activity", "--from", "2026-02-01", "--to", "2026-01-01"])
    #expect(back.status == 1 && back.err.contains("--to: период заканчивается раньше"))
    let date = try crm(s, ["report", "activity", "--from", "вчерашний день"])
    #expect(date.status == 1 && date.err.contains("--from"))
    let metric = try crm(s, ["target", "set", "boris", "smiles", "5"])
    #expect(metric.status == 1 && metric.err.contains("METRIC: «smiles»"))
  }

  @Test func targetsSetListRemoveAndShowInTheReport() throws {
    let s = Scratch()
    defer { s.remove() }
    try activityBase(s)
    _ = try ok(s, ["target", "set", "boris", "calls", "2", "--per", "week"])
    _ = try ok(s, ["target", "set", "boris", "revenue", "10 000", "--per", "month"])
    let list = try jsonArray(s, ["target", "list"])
    #expect(list.count == 2)
    #expect(
      list.contains { $0["metric"] as? String == "revenue" && $0["amount"] as? Int == 1_000_000 })
    let rows = try jsonArray(s, ["report", "activity", "--by", "week"] + period)
    let first = try #require(
      rows.first { $0["user"] as? String == "boris" && $0["bucket"] as? String == "2026-01-05" })
    let calls = try #require((first["targets"] as? [String: Any])?["calls"] as? [String: Any])
    #expect(
      calls["plan"] as? Int == 2 && calls["fact"] as? Int == 2 && calls["percent"] as? Int == 100)
    _ = try ok(s, ["target", "remove", "boris", "calls", "--per", "week"])
    #expect(try jsonArray(s, ["target", "list"]).count == 1)
    let again = try crm(s, ["target", "remove", "boris", "calls", "--per", "week"])
    #expect(again.status == 1)
    let audit = try sqlite(s, "SELECT count(*) FROM change_set WHERE entity = 'target'")
    #expect(audit.trimmingCharacters(in: .whitespacesAndNewlines) == "3")
  }

  @Test func aSupervisorDrillsDownInTmuxAndNothingChanges() throws {
    let s = Scratch()
    defer { s.remove() }
    try activityBase(s)
    // Two calls this week by vera, so the current week has numbers.
    let now = Int(Date().timeIntervalSince1970)
    _ = try sqlite(
      s,
      """
      INSERT INTO contact (client_id, kind, status, due_at, done_at, subject, user_id, created_at,
        updated_at)
      SELECT 1, 'call', 'done', \(now - 60), \(now - 60), 'Свежий звонок', id, \(now), \(now)
      FROM app_user WHERE login = 'vera';
      INSERT INTO contact (client_id, kind, status, due_at, done_at, subject, user_id, created_at,
        updated_at)
      SELECT 1, 'call', 'done', \(now - 30), \(now - 30), 'Ещё звонок', id, \(now), \(now)
      FROM app_user WHERE login = 'vera';
      """)
    let dump = "SELECT count(*), max(id) FROM contact; SELECT count(*) FROM change_set;"
    let before = try sqlite(s, dump)
    let tmux = try TmuxSession(
      "env TZ=UTC LANG=ru_RU.UTF-8 LC_ALL= TERM=xterm-256color \(crmBinary) --db \(s.db) --user sam"
    )
    _ = try tmux.waitFor("Клиенты")
    try tmux.keys("5")
    // The team total is drawn after every manager's row: waiting for it, not the header, never
    // catches a half-drawn frame (it did once under load).
    let screen = try tmux.waitFor("Итого")
    #expect(screen.contains("Зв") && screen.contains("Выручка"))
    #expect(screen.contains("Борис") && screen.contains("Вера") && screen.contains("Сэм"))
    try tmux.keys("j")
    _ = try tmux.waitFor("звонки · vera: 2")
    try tmux.keys("Enter")
    _ = try tmux.waitFor("Ещё звонок")
    let rows = try tmux.waitFor("Свежий звонок")
    #expect(rows.contains("Ещё звонок"))
    #expect(rows.contains("Строк: 2"))
    try tmux.keys("Enter")
    _ = try tmux.waitFor("База")
    try tmux.keys("q")
    try tmux.keys("q")
    _ = try tmux.waitFor("Менеджер")
    try tmux.keys("q")
    #expect(try tmux.waitUntilGone())
    #expect(try sqlite(s, dump) == before)
  }
}

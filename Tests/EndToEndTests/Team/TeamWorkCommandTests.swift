import Foundation
import Testing

/// A database with root (admin: the first user), managers anna, boris, carl and the supervisor
/// vera; five VIP clients without an owner («Лид 1»…«Лид 5»).
func teamBase(_ s: Scratch) throws {
  for login in ["root", "anna", "boris", "carl", "vera"] {
    _ = try ok(s, ["task", "list", "--user", login])
  }
  _ = try sqlite(s, "UPDATE app_user SET role = 'supervisor' WHERE login = 'vera'")
  for i in 1...5 {
    _ = try ok(s, ["client", "add", "--name", "Лид \(i)", "--segment", "VIP", "--user", "root"])
  }
  _ = try sqlite(s, "UPDATE client SET owner_id = NULL")
}

@Suite(.serialized) struct TeamWorkCommandTests {
  @Test func assignLeadsByRoundRobin() throws {
    let s = Scratch()
    defer { s.remove() }
    try teamBase(s)
    // The rule is off: nothing to do until it is set (or --rule names one).
    var r = try crm(s, ["assign-leads", "--user", "vera"])
    #expect(r.status == 1)
    #expect(r.err.contains("lead_rule: выключено"))
    _ = try ok(s, ["settings", "set", "lead_rule", "round_robin", "--user", "root"])
    // A manager may not.
    r = try crm(s, ["assign-leads", "--user", "anna"])
    #expect(r.status == 1)
    #expect(
      r.err.contains("раздать клиентов: нужна роль admin/supervisor; у «anna» роль manager"))
    r = try crm(s, ["assign-leads", "--rule", "bogus", "--user", "vera"])
    #expect(r.status == 1 && r.err.contains("--rule: неизвестное правило «bogus»"))
    // A dry run says who would get how many and changes nothing.
    let dry = try jsonObject(s, ["assign-leads", "--dry-run", "--user", "vera"])
    #expect(dry["assigned"] as? Int == 5 && dry["dry_run"] as? Bool == true)
    let users = try #require(dry["users"] as? [[String: Any]])
    #expect(users.map { $0["user"] as? String } == ["anna", "boris", "carl"])
    #expect(users.map { $0["leads"] as? Int } == [2, 2, 1])
    #expect(try sqlite(s, "SELECT count(*) FROM client WHERE owner_id IS NULL") == "5\n")
    // The real run.
    let out = try ok(s, ["assign-leads", "--user", "vera"])
    #expect(
      out == """
        Роздано клиентов: 5, правило round_robin:
          anna                        2
          boris                       2
          carl                        1
        """)
    #expect(
      try sqlite(
        s,
        "SELECT a.client_id || ' ' || u.login || ' ' || a.reason FROM lead_assignment a JOIN app_user u ON u.id = a.user_id ORDER BY a.id"
      ) == """
        1 anna round robin: first
        2 boris round robin: after anna
        3 carl round robin: after boris
        4 anna round robin: after carl
        5 boris round robin: after anna

        """)
    #expect(try ok(s, ["assign-leads", "--user", "vera"]) == "Клиентов без владельца нет.")
    // A supervisor's new client goes to the next manager: carl.
    let id = try ok(s, ["client", "add", "--name", "Новый", "--user", "vera"])
    #expect(
      try sqlite(
        s, "SELECT u.login FROM client c JOIN app_user u ON u.id = c.owner_id WHERE c.id = \(id)")
        == "carl\n")
    // A manager's own add stays hers unless she asks for no owner.
    let mine = try ok(s, ["client", "add", "--name", "Свой", "--user", "boris"])
    let lead = try ok(s, ["client", "add", "--name", "Ничей", "--no-owner", "--user", "boris"])
    #expect(
      try sqlite(
        s,
        "SELECT c.id || ' ' || u.login FROM client c JOIN app_user u ON u.id = c.owner_id WHERE c.id IN (\(mine), \(lead)) ORDER BY c.id"
      ) == "\(mine) boris\n\(lead) anna\n")
    r = try crm(
      s, ["client", "add", "--name", "X", "--no-owner", "--owner", "anna", "--user", "vera"])
    #expect(r.status == 1 && r.err.contains("--no-owner и --owner нельзя сочетать"))
  }

  @Test func tasksGivenListedDoneAndCancelled() throws {
    let s = Scratch()
    defer { s.remove() }
    try teamBase(s)
    _ = try sqlite(
      s, "UPDATE client SET owner_id = (SELECT id FROM app_user WHERE login = 'boris') WHERE id = 2"
    )
    #expect(
      try ok(
        s,
        [
          "task", "add", "anna", "Позвонить в банк", "--due", "25.11.2030 15:00", "--notes",
          "до обеда", "--user", "vera",
        ]) == "Задача №1 для anna, срок 25.11.2030 15:00")
    #expect(
      try ok(
        s,
        [
          "task", "add", "boris", "Встреча", "--due", "26.11.2030 11:00", "--client", "2",
          "--contact", "meeting", "--user", "vera",
        ]) == "Задача №2 для boris, срок 26.11.2030 11:00 (контакт №1)")
    _ = try ok(s, ["task", "add", "anna", "Старое", "--due", "01.02.2020 10:00", "--user", "vera"])
    // Refusals: a manager giving a task, an unknown login, an unreadable time, a bad status.
    var r = try crm(s, ["task", "add", "anna", "x", "--due", "завтра", "--user", "boris"])
    #expect(r.status == 1 && r.err.contains("дать задачу: нужна роль admin/supervisor"))
    r = try crm(s, ["task", "add", "nobody", "x", "--due", "завтра", "--user", "vera"])
    #expect(r.status == 1 && r.err.contains("нет пользователя «nobody»"))
    r = try crm(s, ["task", "add", "anna", "x", "--due", "когда-нибудь", "--user", "vera"])
    #expect(r.status == 1 && r.err.contains("--due: не удаётся прочитать «когда-нибудь»"))
    r = try crm(s, ["task", "list", "--status", "nope", "--user", "vera"])
    #expect(r.status == 1 && r.err.contains("--status: «nope»"))
    #expect(try sqlite(s, "SELECT count(*) FROM task") == "3\n")
    // The contact task is a planned contact of boris, given by vera.
    #expect(
      try sqlite(
        s,
        "SELECT u.login || ' ' || a.login || ' ' || c.kind || ' ' || c.status FROM contact c JOIN app_user u ON u.id = c.user_id JOIN app_user a ON a.id = c.author_id"
      ) == "boris vera meeting planned\n")
    // The manager's list, overdue first.
    #expect(
      try ok(s, ["task", "list", "--user", "anna"]) == """
        №      Срок             Статус     Кому       От         Задача
        3      01.02.2020 10:00 просрочена anna       vera       Старое
        1      25.11.2030 15:00 открыта    anna       vera       Позвонить в банк
        """)
    let overdue = try jsonArray(
      s, ["task", "list", "--given", "--status", "overdue", "--user", "vera"])
    #expect(overdue.count == 1)
    #expect(overdue[0]["id"] as? Int == 3 && overdue[0]["overdue"] as? Bool == true)
    #expect(overdue[0]["due"] as? String == "2020-02-01T10:00:00Z")
    #expect(overdue[0]["kind"] as? String == "todo" && overdue[0]["assignee"] as? String == "anna")
    // Only the assignee marks a to-do done; the author cancels.
    r = try crm(s, ["task", "done", "1", "--user", "vera"])
    #expect(r.status == 1 && r.err.contains("отметить выполненной может только он"))
    #expect(try ok(s, ["task", "done", "1", "--user", "anna"]) == "Задача №1 выполнена.")
    #expect(try ok(s, ["task", "cancel", "3", "--user", "vera"]) == "Задача №3 отменена.")
    #expect(
      try ok(s, ["task", "list", "--given", "--status", "all", "--user", "vera"]) == """
        №      Срок             Статус     Кому       От         Задача
        2      26.11.2030 11:00 открыта    boris      vera       Встреча — Лид 2
        1      25.11.2030 15:00 выполнена  anna       vera       Позвонить в банк
        3      01.02.2020 10:00 отменена   anna       vera       Старое
        """)
    // An open overdue to-do shows in crm remind.
    _ = try ok(s, ["task", "add", "anna", "Сверка", "--due", "02.02.2020 10:00", "--user", "vera"])
    #expect(
      try ok(s, ["remind", "--user", "anna"]) == """
        Задачи:
          ☐ Задача №4: Сверка — срок 02.02.2020 10:00 (просрочена), от vera
        """)
    // …and in the shell prompt's line (its own fast path), counted with the contacts.
    #expect(try ok(s, ["remind", "--short", "--user", "anna"]) == "⏰1 просрочено")
    #expect(try crm(s, ["remind", "--short", "--user", "vera"]).out == "")
    #expect(
      try sqlite(s, "SELECT action FROM change_set WHERE entity = 'task' ORDER BY id")
        == "insert\ninsert\ninsert\ndone\ncancel\ninsert\n")
  }

  @Test func filtersAndCampaigns() throws {
    let s = Scratch()
    defer { s.remove() }
    try teamBase(s)
    _ = try ok(s, ["settings", "set", "lead_rule", "round_robin", "--user", "root"])
    _ = try ok(s, ["assign-leads", "--user", "vera"])
    _ = try ok(s, ["settings", "set", "lead_rule", "off", "--user", "root"])
    _ = try ok(
      s, ["client", "add", "--name", "Без владельца", "--segment", "VIP", "--user", "root"])
    _ = try sqlite(s, "UPDATE client SET owner_id = NULL WHERE id = 6")
    #expect(
      try ok(s, ["filter", "save", "ВИП", "--segment", "VIP", "--user", "vera"])
        == "Фильтр «ВИП» сохранён: segment=VIP (сейчас клиентов: 6).")
    var r = try crm(s, ["filter", "save", "вип", "--segment", "VIP", "--user", "vera"])
    #expect(r.status == 1 && r.err.contains("фильтр с таким названием уже есть"))
    let filters = try jsonArray(s, ["filter", "list", "--user", "vera"])
    #expect(filters.count == 1 && filters[0]["clients"] as? Int == 6)
    #expect(filters[0]["query"] as? String == #"{"segment":"VIP"}"#)
    // A dry run changes nothing.
    let dry = try jsonObject(
      s,
      [
        "campaign", "add", "Зима", "--channel", "call", "--from", "02.12.2030", "--to",
        "06.12.2030", "--filter", "вип", "--dry-run", "--user", "vera",
      ])
    #expect(dry["selected"] as? Int == 6 && dry["planned"] as? Int == 5)
    #expect(dry["skipped_unowned"] as? Int == 1 && dry["id"] is NSNull)
    #expect(dry["first_due"] as? String == "2030-12-02T10:00:00Z")
    #expect(dry["last_due"] as? String == "2030-12-04T10:00:00Z")
    #expect(try sqlite(s, "SELECT count(*) FROM campaign") == "0\n")
    #expect(try sqlite(s, "SELECT count(*) FROM contact") == "0\n")
    // Bad input: exit 1, nothing changed.
    let bad: [([String], String)] = [
      (["--channel", "жалоба", "--filter", "вип"], "канал кампании — один из"),
      (["--channel", "call", "--filter", "нет"], "нет сохранённого фильтра «нет»; есть: ВИП"),
      (["--channel", "call"], "укажите --filter, --segment, --tag или --search"),
      (["--channel", "call", "--filter", "вип", "--segment", "VIP"], "--filter нельзя сочетать"),
    ]
    for (args, text) in bad {
      r = try crm(
        s,
        ["campaign", "add", "X", "--from", "02.12.2030", "--to", "06.12.2030", "--user", "vera"]
          + args)
      #expect(r.status == 1 && r.err.contains(text), "\(args): \(r.err)")
    }
    r = try crm(
      s,
      [
        "campaign", "add", "X", "--channel", "call", "--from", "06.12.2030", "--to", "02.12.2030",
        "--filter", "вип", "--user", "vera",
      ])
    #expect(r.status == 1 && r.err.contains("--to: раньше, чем --from"))
    r = try crm(
      s,
      [
        "campaign", "add", "X", "--channel", "call", "--from", "02.12.2030", "--to", "06.12.2030",
        "--filter", "вип", "--user", "anna",
      ])
    #expect(r.status == 1 && r.err.contains("создать кампанию: нужна роль admin/supervisor"))
    #expect(try sqlite(s, "SELECT count(*) FROM campaign") == "0\n")
    // The campaign.
    #expect(
      try ok(
        s,
        [
          "campaign", "add", "Зима", "--channel", "звонок", "--from", "02.12.2030", "--to",
          "06.12.2030", "--filter", "вип", "--user", "vera",
        ]) == """
          Кампания №1 «Зима»: выбрано клиентов 6, запланировано 5
            с 02.12.2030 10:00 по 04.12.2030 10:00
            anna                        2
            boris                       2
            carl                        1
            пропущено 1 без владельца (lead_rule выключено)
          """)
    #expect(
      try sqlite(
        s,
        "SELECT count(*), count(DISTINCT client_id) FROM contact WHERE campaign_id = 1 AND status = 'planned'"
      ) == "5|5\n")
    // One reached with a won deal of 1 000 ₽ since the start.
    _ = try sqlite(
      s,
      "UPDATE contact SET status = 'done', done_at = due_at WHERE client_id = 1 AND campaign_id = 1"
    )
    _ = try sqlite(
      s,
      """
      INSERT INTO deal (pipeline_id, stage_id, reached_stage_id, status, client_id, title, amount,
        currency, owner_id, created_at, updated_at, stage_at, closed_at)
      SELECT p.id, s.id, s.id, 'won', 1, 'D', 100000, 'RUB', 2, 1922400000, 1922400000,
        1922400000, 1922400000 FROM pipeline p JOIN stage s ON s.pipeline_id = p.id LIMIT 1
      """)
    let report = try jsonObject(s, ["campaign", "report", "1", "--user", "vera"])
    #expect(report["targets"] as? Int == 5 && report["planned"] as? Int == 5)
    #expect(report["reached"] as? Int == 1 && report["interested"] as? Int == 1)
    #expect(report["deals"] as? Int == 1 && report["won_deals"] as? Int == 1)
    let revenue = try #require(report["revenue_won"] as? [[String: Any]])
    #expect(revenue.count == 1 && revenue[0]["minor"] as? Int == 100_000)
    #expect(
      try ok(s, ["campaign", "report", "1", "--user", "vera"])
        .replacingOccurrences(of: "\u{A0}", with: " ")
        .replacingOccurrences(of: "\u{202F}", with: " ") == """
          №1 «Зима» — звонок, 02.12.2030–06.12.2030
            цель:         ВИП
            клиентов              5
            запланировано         5
            дозвонились           1
            не ответили           0
            интерес               1
            сделок                1
            выиграно              1
            выручка        1 000,00 ₽
          """)
    let list = try jsonArray(s, ["campaign", "list", "--user", "vera"])
    #expect(list.map { $0["name"] as? String } == ["Зима"])
    r = try crm(s, ["campaign", "report", "9", "--user", "vera"])
    #expect(r.status != 0)
  }
}

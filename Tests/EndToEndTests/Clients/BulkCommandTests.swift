import Foundation
import Testing

/// Everything a failed bulk command must leave as it was.
private func snapshot(_ s: Scratch) throws -> String {
  try sqlite(
    s,
    """
    SELECT id, owner_id, segment, lead_source FROM client ORDER BY id;
    SELECT client_id, tag FROM client_tag ORDER BY id;
    SELECT count(*) FROM contact; SELECT count(*) FROM change_set; SELECT count(*) FROM audit;
    """)
}

@Suite(.serialized) struct BulkCommandTests {
  /// Three clients of anna, one of boris; returns their ids.
  func base(_ s: Scratch) throws -> [String] {
    var ids = [
      try addClient(s, "Альфа"), try addClient(s, "Бета"), try addClient(s, "Гамма"),
    ]
    let b = try crm(s, ["client", "add", "--name", "Дельта", "--user", "boris"])
    #expect(b.status == 0, "\(b.err)")
    ids.append(b.out.trimmingCharacters(in: .whitespacesAndNewlines))
    return ids
  }

  @Test func setOwnerByIdsThenUndo() throws {
    let s = Scratch()
    defer { s.remove() }
    let ids = try base(s)
    let r = try jsonObject(s, ["bulk", "set-owner", "boris", "--ids", ids.joined(separator: ",")])
    #expect(r["matched"] as? Int == 4)
    #expect(r["changed"] as? Int == 3)
    #expect(r["unchanged"] as? Int == 1)
    #expect(r["change"] as? String == "set_owner")
    #expect(
      try sqlite(
        s,
        "SELECT count(*) FROM client c JOIN app_user u ON u.id = c.owner_id WHERE u.login = 'boris'"
      )
        == "4\n")
    #expect(
      try sqlite(s, "SELECT count(*) FROM audit WHERE action = 'bulk' AND field = 'owner'") == "3\n"
    )
    let text = try ok(s, ["bulk", "set-segment", "VIP", "--owner", "boris"])
    #expect(text == "Клиентов 4: изменено 4, уже так 0")
    let undo = try ok(s, ["bulk", "undo"])
    #expect(undo == "Массовое изменение отменено: восстановлено 4")
    #expect(try sqlite(s, "SELECT count(*) FROM client WHERE segment = 'VIP'") == "0\n")
    let undo2 = try jsonObject(s, ["bulk", "undo"])
    #expect(undo2["restored"] as? Int == 3)
    #expect(undo2["change"] as? String == "set_owner")
    #expect(
      try sqlite(
        s,
        "SELECT count(*) FROM client c JOIN app_user u ON u.id = c.owner_id WHERE u.login = 'anna'")
        == "3\n")
    let none = try crm(s, ["bulk", "undo"], lang: "en")
    #expect(none.status == 1)
    #expect(none.err.contains("no bulk change of anna to undo"))
  }

  @Test func tagsByFilterAndSearch() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try base(s)
    _ = try ok(s, ["bulk", "set-segment", "Опт", "--search", "альфа"])
    let added = try jsonObject(s, ["bulk", "add-tag", "выставка", "--segment", "Опт"])
    #expect(added["changed"] as? Int == 1)
    #expect(
      try sqlite(s, "SELECT c.name FROM client_tag t JOIN client c ON c.id = t.client_id")
        == "Альфа\n")
    let found = try jsonArray(s, ["client", "list", "--tag", "ВЫСТАВКА"])
    #expect(found.count == 1)
    let removed = try jsonObject(s, ["bulk", "remove-tag", "Выставка", "--all"])
    #expect(removed["matched"] as? Int == 4)
    #expect(removed["changed"] as? Int == 1)
    #expect(try sqlite(s, "SELECT count(*) FROM client_tag") == "0\n")
    let source = try jsonObject(s, ["bulk", "set-source", "сайт", "--tag", "нет-такого"])
    #expect(source["matched"] as? Int == 0)
  }

  @Test func planContactForOwners() throws {
    let s = Scratch()
    defer { s.remove() }
    let ids = try base(s)
    let r = try jsonObject(
      s,
      [
        "bulk", "plan-contact", "--kind", "звонок", "--at", "2030-03-01 10:00", "--subject",
        "Новый прайс", "--ids", "\(ids[0]),\(ids[3])",
      ])
    #expect(r["changed"] as? Int == 2)
    #expect(
      try sqlite(
        s,
        """
        SELECT cl.name, u.login, c.kind, c.status, c.subject FROM contact c
        JOIN client cl ON cl.id = c.client_id JOIN app_user u ON u.id = c.user_id ORDER BY cl.id
        """) == "Альфа|anna|call|planned|Новый прайс\nДельта|boris|call|planned|Новый прайс\n")
  }

  @Test func dryRunChangesNothing() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try base(s)
    let before = try snapshot(s)
    let r = try jsonObject(s, ["bulk", "set-segment", "VIP", "--all", "--dry-run"])
    #expect(r["matched"] as? Int == 4)
    #expect(r["changed"] as? Int == 4)
    #expect(r["dry_run"] as? Bool == true)
    let text = try ok(s, ["bulk", "add-tag", "x", "--all", "--dry-run"], lang: "en")
    #expect(
      text == "Dry run, nothing changed: clients 4, would change 4, already so 0")
    #expect(try snapshot(s) == before)
  }

  @Test func badInputExitsOneNamingTheOptionAndChangesNothing() throws {
    let s = Scratch()
    defer { s.remove() }
    let ids = try base(s)
    let before = try snapshot(s)
    let cases: [([String], String, String)] = [
      (["bulk", "set-segment", "VIP"], "--ids", "--all"),
      (["bulk", "set-owner", "nobody", "--all"], "LOGIN", "nobody"),
      (["bulk", "set-segment", "VIP", "--owner", "nobody"], "--owner", "nobody"),
      (["bulk", "set-segment", "VIP", "--ids", "1,x"], "--ids", "x"),
      (["bulk", "set-segment", "VIP", "--ids", "1", "--all"], "--ids", "--all"),
      (["bulk", "set-segment", "VIP", "--ids", "\(ids[0]),999"], "999", "999"),
      (
        ["bulk", "plan-contact", "--kind", "пинг", "--at", "завтра", "--all"], "--kind",
        "пинг"
      ),
      (
        ["bulk", "plan-contact", "--kind", "call", "--at", "вчерашний день", "--all"], "--at",
        "--at"
      ),
      (
        ["bulk", "plan-contact", "--kind", "call", "--at", "+1d", "--assignee", "zz", "--all"],
        "--assignee", "zz"
      ),
    ]
    for (args, name, detail) in cases {
      for lang in ["ru", "en"] {
        let r = try crm(s, args, lang: lang)
        #expect(r.status == 1, "\(args) \(lang): \(r.out) \(r.err)")
        #expect(r.err.contains(name) && r.err.contains(detail), "\(args) \(lang): \(r.err)")
        #expect(r.out.isEmpty, "\(args)")
      }
    }
    #expect(try crm(s, ["bulk", "add-tag", " ", "--all"]).err == "crm: Теги: пустой\n")
    #expect(
      try crm(s, ["bulk", "add-tag", " ", "--all"], lang: "en").err == "crm: Tags: is empty\n")
    let ru = try crm(s, ["bulk", "set-segment", "VIP"])
    #expect(ru.err.contains("не выбраны"))
    let en = try crm(s, ["bulk", "set-segment", "VIP"], lang: "en")
    #expect(en.err.contains("none chosen"))
    #expect(try snapshot(s) == before)
  }
}

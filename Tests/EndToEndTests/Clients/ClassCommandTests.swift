import Foundation
import Testing

/// An assigned cash payment inserted directly (amount in kopecks).
func insertPayment(_ s: Scratch, _ client: String, _ date: String, _ amount: Int) throws {
  _ = try sqlite(
    s,
    """
    INSERT INTO payment (client_id, source, state, date, amount, currency, created_at, updated_at)
    VALUES (\(client), 'cash', 'assigned', '\(date)', \(amount), 'RUB', 0, 0)
    """)
}

@Suite(.serialized) struct ClassCommandTests {
  @Test func reportsAndClassifyAsJSON() throws {
    let s = Scratch()
    defer { s.remove() }
    let a = try addCompany(s, "Альфа", inn: "7707083893")
    let b = try ok(s, ["client", "add", "--name", "Бета", "--city", "Тула"])
    let c = try ok(s, ["client", "add", "--name", "Гамма"])
    try insertPayment(s, a, "2026-01-15", 900_000_00)
    try insertPayment(s, b, "2026-01-20", 100_000_00)
    try insertPayment(s, b, "2026-02-20", 100_000_00)
    _ = try ok(s, ["segment", "rule", "add", "VIP", "revenue >= 500000"])
    let first = try json(try ok(s, ["classify", "--at", "2026-01-31", "--json"])) as? [String: Any]
    #expect(first?["clients"] as? Int == 3)
    #expect(first?["segments_changed"] as? Int == 1)
    _ = try ok(s, ["classify", "--at", "28.02.2026"])

    let abc = try #require(
      try json(try ok(s, ["report", "abc", "--json"])) as? [String: Any])
    let classes = try #require(abc["classes"] as? [[String: Any]])
    #expect(classes.map { $0["class"] as? String } == ["A", "B", "C", "none"])
    #expect(classes.map { $0["clients"] as? Int } == [1, 1, 0, 1])
    #expect(classes[0]["revenue"] as? String == "900000.00")
    let t = try #require(abc["transitions"] as? [String: Any])
    let matrix = try #require(t["matrix"] as? [String: [String: Int]])
    #expect(matrix["A"]?["A"] == 1 && matrix["B"]?["B"] == 1 && matrix["none"]?["none"] == 1)
    #expect(t["moved"] as? Int == 0)

    let xyz = try #require(
      try json(try ok(s, ["report", "xyz", "--json", "--at", "2026-02-28"])) as? [String: Any])
    let xc = try #require(xyz["classes"] as? [[String: Any]])
    #expect(xc.map { $0["class"] as? String } == ["potential", "one-off", "X", "Y", "Z"])
    // Бета: 100 000 in January and February: two equal months, CV 0 → X.
    #expect(xc.map { $0["clients"] as? Int } == [1, 1, 1, 0, 0])

    let seg = try #require(
      try json(try ok(s, ["report", "segments", "--json", "--at", "2026-02-28"])) as? [String: Any])
    let lines = try #require(seg["segments"] as? [[String: Any]])
    let vip = try #require(lines.first { $0["segment"] as? String == "VIP" })
    #expect(vip["clients"] as? Int == 1 && vip["by_rule"] as? Int == 1)
    #expect(vip["revenue"] as? String == "900000.00")

    let comp = try #require(
      try json(try ok(s, ["report", "completeness", "--json", "--fields", "inn,city"]))
        as? [String: Any])
    #expect(comp["clients"] as? Int == 3)
    #expect(comp["incomplete"] as? Int == 3)
    let worst = try #require(comp["clients_incomplete"] as? [[String: Any]])
    #expect(worst.first?["id"] as? Int == Int(c))
    #expect(worst.first?["missing"] as? [String] == ["inn", "city"])
    let text = try ok(s, ["report", "completeness"], lang: "ru")
    #expect(text.contains("ИНН") && text.contains("Заполнены не полностью: 3"))
    #expect(fits(text))
    #expect(fits(try ok(s, ["report", "xyz"], lang: "ru")))
  }

  @Test func badInputExitsWithOneAndChangesNothing() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try ok(s, ["client", "add", "--name", "Альфа"])
    let before = try sqlite(s, "SELECT count(*) FROM class_run; SELECT count(*) FROM change_set")
    for (args, message) in [
      (["classify", "--at", "2026-02-30"], "не дата"),
      (["classify", "--at", "2999-01-01"], "в будущем"),
      (["report", "completeness", "--fields", "phone,fax"], "«fax»"),
      (["settings", "set", "completeness_fields", "phone,fax"], "«fax»"),
      (["settings", "set", "abc_shares", "80/30/5"], "80/15/5"),
      (["segment", "rule", "add", "VIP", "revenue ~ 5"], "revenue >= 1000000"),
      (["report", "abc"], "crm classify"),
      (["report", "abc", "--at", "2026-01-01"], "запустите crm classify"),
    ] {
      let r = try crm(s, args)
      #expect(r.status == 1, "\(args)")
      #expect(r.err.contains(message), "\(args): \(r.err)")
    }
    #expect(
      try sqlite(s, "SELECT count(*) FROM class_run; SELECT count(*) FROM change_set") == before)
    let en = try crm(s, ["report", "completeness", "--fields", "bogus"], lang: "en")
    #expect(en.status == 1 && en.err.contains("unknown field «bogus»"))
    _ = try ok(s, ["settings", "set", "completeness_fields", "phone, city"])
    #expect(try ok(s, ["settings", "get", "completeness_fields"]) == "phone,city")
  }
}

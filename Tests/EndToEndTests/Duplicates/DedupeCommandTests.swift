import CRMCore
import Foundation
import Testing

/// Every row of the tables a merge touches (without ids and times that writes renew), sorted.
func mergeState(_ s: Scratch) throws -> String {
  try sqlite(
    s,
    """
    SELECT 'client', id, name, legal_form, inn, website, deleted_at IS NULL, notes, match_key
      FROM client
    UNION ALL SELECT 'phone', client_id, person_id, position, raw, e164, '', '', '' FROM phone
    UNION ALL SELECT 'email', client_id, person_id, position, address, '', '', '', '' FROM email
    UNION ALL SELECT 'contact', id, client_id, person_id, subject, status, '', '', '' FROM contact
    UNION ALL SELECT 'deal', id, client_id, title, amount, '', '', '', '' FROM deal
    UNION ALL SELECT 'invoice', id, client_id, total, paid, '', '', '', '' FROM invoice
    UNION ALL SELECT 'payment', id, client_id, amount, state, '', '', '', '' FROM payment
    UNION ALL SELECT 'fts', rowid, name, phones, emails, '', '', '', '' FROM client_fts
    ORDER BY 1, 2, 3, 4, 5
    """)
}

@Suite(.serialized) struct DedupeCommandTests {
  /// «Вектор» with its ИНН and phone, and «Vektor LLC» typed later with the same phone, a
  /// contact, a deal, an invoice and a payment.
  func twoCards(_ s: Scratch) throws -> (String, String) {
    let a = try ok(
      s,
      [
        "client", "add", "--name", "Вектор", "--legal-form", "ООО", "--inn", "5001999994",
        "--phone", "+7 495 123-45-67",
      ])
    let b = try ok(
      s,
      [
        "client", "add", "--name", "Vektor", "--legal-form", "LLC", "--phone", "8 495 123 45 67",
        "--email", "sales@vector.ru", "--website", "vector.ru",
      ])
    _ = try ok(s, ["contact", "plan", "--client", b, "--kind", "call", "--at", "+1d"])
    _ = try ok(s, ["deal", "add", "--client", b, "--title", "Поставка", "--amount", "90000"])
    _ = try ok(s, ["invoice", "add", "--client", b, "--sum", "90 000"])
    _ = try ok(s, ["payment", "add", "--client", b, "--sum", "40 000", "--invoice", "1"])
    return (a, b)
  }

  @Test func dedupeFindsThePairAndMergeMovesEverythingAndUndoesIt() throws {
    let s = Scratch()
    defer { s.remove() }
    let (a, b) = try twoCards(s)
    let pairs = try jsonArray(s, ["dedupe"])
    let pair = try #require(pairs.first)
    #expect(pair["first"] as? Int == Int(a))
    #expect(pair["second"] as? Int == Int(b))
    #expect(pair["first_name"] as? String == "ООО «Вектор»")
    #expect(pair["second_name"] as? String == "Vektor LLC")
    #expect((pair["score"] as? Int ?? 0) >= 70)
    #expect((pair["reasons"] as? [String])?.contains("тот же телефон +74951234567") == true)
    #expect(pair["conflicting_inn"] as? Bool == false)
    let text = try ok(s, ["dedupe"])
    #expect(text.contains("#1 ООО «Вектор»") && text.contains("тот же телефон"))
    #expect(fits(text))
    #expect(try ok(s, ["dedupe"], lang: "en").contains("same phone +74951234567"))
    #expect(try ok(s, ["dedupe", "--min-score", "100"]) == "Похожих клиентов нет.")

    let before = try mergeState(s)
    let dry = try jsonObject(s, ["merge", a, b, "--dry-run"])
    #expect(dry["dry_run"] as? Bool == true)
    #expect(try mergeState(s) == before)

    let r = try jsonObject(s, ["merge", a, b])
    #expect(r["merge_id"] as? Int == 1)
    let moved = try #require(r["moved"] as? [String: Int])
    #expect(moved["contact"] == 1 && moved["deal"] == 1)
    #expect(moved["invoice"] == 1 && moved["payment"] == 1)
    let counts = try sqlite(
      s,
      """
      SELECT (SELECT count(*) FROM contact WHERE client_id = \(b)) +
        (SELECT count(*) FROM deal WHERE client_id = \(b)) +
        (SELECT count(*) FROM invoice WHERE client_id = \(b)) +
        (SELECT count(*) FROM payment WHERE client_id = \(b)),
        (SELECT count(*) FROM invoice WHERE client_id = \(a)),
        (SELECT deleted_at IS NOT NULL FROM client WHERE id = \(b)),
        (SELECT website FROM client WHERE id = \(a))
      """)
    #expect(counts == "0|1|1|vector.ru\n")
    // The pair is gone from the list, and the merge is in the log.
    #expect(try jsonArray(s, ["dedupe"]).isEmpty)
    let log = try jsonArray(s, ["merge", "log"])
    #expect(log.first?["survivor_id"] as? Int == Int(a))
    #expect(log.first?["user"] as? String == "anna")

    let u = try ok(s, ["merge", "undo", "--last"])
    #expect(u.contains("Объединение 1 отменено"))
    #expect(try mergeState(s) == before)
    let again = try crm(s, ["merge", "undo", "1"])
    #expect(again.status == 1)
    #expect(again.err.contains("уже отменено"))
    #expect(try crm(s, ["merge", "undo", "--last"]).status == 1)
  }

  @Test func textOutputOfAMergeFitsAndNamesWhatMoved() throws {
    let s = Scratch()
    defer { s.remove() }
    let (a, b) = try twoCards(s)
    let out = try ok(s, ["merge", a, b, "--take", "name", "--take", "legal_form"], lang: "en")
    #expect(out.contains("Merged #\(b) Vektor LLC into #\(a) Vektor LLC (merge 1;"))
    #expect(out.contains("contacts 1, deals 1, invoices 1, payments 1"))
    #expect(out.contains("Website"))
    #expect(fits(out))
    #expect(try sqlite(s, "SELECT name FROM client WHERE id = \(a)") == "Vektor\n")
  }

  @Test func badInputExitsWithOneAndChangesNothing() throws {
    let s = Scratch()
    defer { s.remove() }
    let (a, b) = try twoCards(s)
    let sber = try ok(
      s, ["client", "add", "--name", "Сбер", "--legal-form", "ПАО", "--inn", "7707083893"])
    let trashed = try addClient(s, "Корзина")
    _ = try ok(s, ["client", "delete", trashed])
    let before = try mergeState(s)
    let history = try sqlite(s, "SELECT count(*) FROM change_set")
    func refused(_ args: [String], _ ru: String, _ en: String) throws {
      let r = try crm(s, args)
      #expect(r.status == 1, "\(args)")
      #expect(r.err.contains(ru), "\(args): \(r.err)")
      let e = try crm(s, args, lang: "en")
      #expect(e.status == 1)
      #expect(e.err.contains(en), "\(args): \(e.err)")
    }
    try refused(["merge", a, "999"], "999", "999")
    try refused(["merge", a, a], "нельзя объединить с самим собой", "cannot be merged with itself")
    try refused(["merge", a, trashed], "в корзине", "in the trash")
    try refused(["merge", a, sber], "разные действительные ИНН", "different valid INNs")
    try refused(["merge", a, b, "--take", "colour"], "нет такого поля", "no such field")
    try refused(["merge", "undo"], "номер объединения или --last", "number of a merge or --last")
    try refused(["merge", "undo", "7"], "7", "7")
    try refused(["dedupe", "--min-score", "101"], "от 0 до 100", "from 0 to 100")
    try refused(["dedupe", "not-duplicate", a, "999"], "999", "999")
    #expect(try mergeState(s) == before)
    #expect(try sqlite(s, "SELECT count(*) FROM change_set") == history)
    #expect(try sqlite(s, "SELECT count(*) FROM merge_log") == "0\n")
    // --force merges the two ИНН all the same; the survivor keeps its own.
    _ = try ok(s, ["merge", a, sber, "--force"])
    #expect(try sqlite(s, "SELECT inn FROM client WHERE id = \(a)") == "5001999994\n")
  }

  @Test func notDuplicateHidesAPairUntilTheMarkIsRemoved() throws {
    let s = Scratch()
    defer { s.remove() }
    let (a, b) = try twoCards(s)
    #expect(try jsonArray(s, ["dedupe"]).count == 1)
    #expect(try ok(s, ["dedupe", "not-duplicate", b, a]).contains("отмечены как не дубли"))
    #expect(try jsonArray(s, ["dedupe"]).isEmpty)
    #expect(try sqlite(s, "SELECT first_id, second_id FROM not_duplicate") == "\(a)|\(b)\n")
    _ = try ok(s, ["dedupe", "not-duplicate", a, b, "--undo"])
    #expect(try jsonArray(s, ["dedupe"]).count == 1)
  }
  @Test func personsAreListedMergedAndUnmerged() throws {
    let s = Scratch()
    defer { s.remove() }
    let c = try addClient(s, "Ромашка")
    // The CLI has no person commands: the two persons are written as ClientService would.
    for (id, name, raw) in [
      (1, "Пётр Сидоров", "+7 903 111-22-33"), (2, "Петр Сидоров", "8 903 111 22 33"),
    ] {
      _ = try sqlite(
        s,
        """
        INSERT INTO contact_person (id, client_id, name, created_at, updated_at, match_key)
        VALUES (\(id), \(c), '\(name)', 0, 0, '\(DuplicateKeys.name(name))');
        INSERT INTO phone (client_id, person_id, position, raw, e164)
        VALUES (\(c), \(id), 0, '\(raw)', '+79031112233');
        """)
    }
    let pairs = try jsonArray(s, ["dedupe", "--persons"])
    #expect(pairs.count == 1)
    #expect(pairs.first?["entity"] as? String == "person")
    let r = try jsonObject(s, ["merge", "1", "2", "--persons"])
    #expect(r["entity"] as? String == "person")
    #expect(try sqlite(s, "SELECT count(*) FROM phone WHERE person_id = 1") == "1\n")
    #expect(
      try sqlite(s, "SELECT deleted_at IS NOT NULL FROM contact_person WHERE id = 2") == "1\n")
    #expect(try jsonArray(s, ["dedupe", "--persons"]).isEmpty)
    let bad = try crm(s, ["merge", "1", "1", "--persons"])
    #expect(bad.status == 1 && bad.err.contains("нельзя объединить с самим собой"))
    _ = try ok(s, ["merge", "undo", "--last"])
    #expect(try sqlite(s, "SELECT deleted_at IS NULL FROM contact_person WHERE id = 2") == "1\n")
  }
}

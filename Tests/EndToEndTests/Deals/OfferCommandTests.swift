import CRMCore
import Foundation
import TestSupport
import Testing

/// A deal on a client through the core, in the same database file the binary uses (`crm deal`
/// is not on this branch yet); returns its id.
func addDeal(_ s: Scratch, client: String, title: String = "Поставка крепежа") throws -> String {
  let db = try CRMDatabase(path: s.db)
  let anna = try #require(try db.user(login: "anna"))
  let deals = DealService(db: db, userId: anna.id, language: .ru)
  let id = try deals.add(Deal(clientId: try #require(Int64(client)), title: title))
  return String(id)
}

@Suite(.serialized) struct OfferCommandTests {
  @Test func anOfferWithTwoLinesIsPrintedAndMarkedSentAsAnEmailContact() throws {
    let s = Scratch()
    defer { s.remove() }
    let add = try crm(
      s, ["client", "add", "--name", "Ромашка", "--legal-form", "ООО", "--inn", "7707083893"])
    #expect(add.status == 0, "\(add.err)")
    let client = add.out.trimmingCharacters(in: .whitespacesAndNewlines)
    let deal = try addDeal(s, client: client)

    let offer = try crm(s, ["offer", "add", "--deal", deal, "--valid-until", "+14d"])
    #expect(offer.status == 0, "\(offer.err)")
    let id = offer.out.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(Int(id) != nil)
    let long =
      "Болт высокопрочный оцинкованный с шестигранной головкой М12×80 ГОСТ 7798-70, класс 8.8"
    let first = try crm(
      s,
      [
        "offer", "line", "add", id, "--item", long, "--qty", "3", "--price", "333,33", "--unit",
        "шт", "--vat", "20",
      ])
    #expect(first.status == 0, "\(first.err)")
    #expect(first.out == "1\n")
    let second = try crm(
      s, ["offer", "line", "add", id, "--item", "Доставка", "--qty", "1", "--price", "1 500"])
    #expect(second.status == 0, "\(second.err)")

    // Bad input: exit 1 naming the field; nothing added.
    func refused(_ args: [String], _ field: String) throws {
      let r = try crm(s, ["offer", "line", "add", id, "--item", "x"] + args)
      #expect(r.status == 1, "\(args)")
      #expect(r.err.contains(field), "\(r.err)")
    }
    try refused(["--qty", "-1", "--price", "10"], "Количество")
    try refused(["--qty", "два", "--price", "10"], "Количество")
    try refused(["--qty", "1", "--price", "-10"], "Цена")
    try refused(["--qty", "1", "--price", "десять"], "Цена")
    try refused(["--qty", "1", "--price", "10", "--vat", "18"], "НДС")
    let unknown = try crm(s, ["offer", "show", "999"])
    #expect(unknown.status == 1 && unknown.err.contains("999"))
    let noDeal = try crm(s, ["offer", "list", "--deal", "999"])
    #expect(noDeal.status == 1 && noDeal.err.contains("999"))

    // Without our requisites there is no sender: refused, naming who sets them.
    let noSender = try crm(s, ["offer", "print", id])
    #expect(noSender.status == 1 && noSender.out.isEmpty, "\(noSender.out)")
    #expect(noSender.err.contains("Наша организация: реквизиты не заданы"), "\(noSender.err)")
    _ = try ok(s, companyAdd())
    let text = try crm(s, ["offer", "print", id])
    #expect(text.status == 0, "\(text.err)")
    #expect(text.out.contains("От кого: ООО «Северный Ветер», ИНН 7707083893"))
    // Numbers run per year of the offer's date: today's, in UTC as the binary runs here.
    var utc = Calendar(identifier: .gregorian)
    utc.timeZone = TimeZone(identifier: "UTC")!
    let number = "\(utc.component(.year, from: Date()))-0001"
    #expect(text.out.contains("Коммерческое предложение № \(number) от "))
    #expect(text.out.contains("Кому: ООО «Ромашка», ИНН 7707083893"))
    #expect(text.out.contains("Всего к оплате:") && text.out.contains("2\u{00A0}499,99\u{00A0}₽"))
    #expect(text.out.split(separator: "\n").allSatisfy { $0.count <= 80 }, "\(text.out)")
    let page = s.dir + "/offer.html"
    let html = try crm(s, ["offer", "print", id, "--html", "--out", page])
    #expect(html.status == 0, "\(html.err)")
    #expect(try String(contentsOfFile: page, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
    let badPath = try crm(s, ["offer", "print", id, "--out", s.dir + "/missing/offer.txt"])
    #expect(badPath.status == 2)

    let sent = try crm(s, ["offer", "sent", id])
    #expect(sent.status == 0, "\(sent.err)")
    #expect(sent.out.contains("отмечено отправленным"))
    let again = try crm(s, ["offer", "sent", id])
    #expect(again.status == 1 && again.err.contains("скопируйте"), "\(again.err)")
    let locked = try crm(
      s, ["offer", "line", "add", id, "--item", "x", "--qty", "1", "--price", "1"])
    #expect(locked.status == 1 && locked.err.contains("crm offer copy \(id)"), "\(locked.err)")

    let contacts = try #require(
      try json(try crm(s, ["contact", "list", "--client", client, "--json"]).out)
        as? [[String: Any]])
    #expect(contacts.count == 1)
    let c = try #require(contacts.first)
    #expect(c["kind"] as? String == "email")
    #expect(c["status"] as? String == "done")
    #expect(c["direction"] as? String == "out")
    #expect(c["subject"] as? String == "КП № \(number) отправлено")

    let shown = try #require(
      try json(try crm(s, ["offer", "show", id, "--json"]).out) as? [String: Any])
    #expect(shown["status"] as? String == "sent")
    #expect(shown["contact_id"] as? Int == c["id"] as? Int)
    #expect((shown["lines"] as? [[String: Any]])?.count == 2)
    let totals = try #require(shown["totals"] as? [String: Any])
    #expect(totals["gross"] as? String == "2499.99")
    #expect(totals["gross_minor"] as? Int == 2499_99)
    let listed = try #require(
      try json(try crm(s, ["offer", "list", "--deal", deal, "--json"]).out) as? [[String: Any]])
    #expect(listed.map { $0["id"] as? Int } == [Int(id)])
    let sqlite = try #require(which("sqlite3"))
    let row = try run(
      sqlite,
      [
        s.db,
        "SELECT o.status, c.kind, c.deal_id = o.deal_id FROM offer o JOIN contact c ON c.id = o.contact_id",
      ]
    ).out
    #expect(row == "sent|email|1\n")
  }
}

import CRMCore
import CRMExchange
import Foundation
import TestSupport
import Testing

/// A deal row made by hand: 1 000,50 ₽ at "Offer sent" (stuck after 5 days), 7 days there.
func offerRow(daysOver: Int? = 2) -> DealRow {
  var d = Deal(
    id: 5, pipelineId: 1, stageId: 2, clientId: 3, title: "Поставка, срочно", amount: 1_000_50,
    expectedClose: "2026-12-31", source: "site", ownerId: 1)
  d.createdAt = Date(timeIntervalSince1970: 0)
  d.stageAt = Date(timeIntervalSince1970: 86400)
  let stage = Stage(
    id: 2, pipelineId: 1, key: "offer", name: "КП отправлено", nameEn: "Offer sent", position: 1,
    kind: .open, probability: 25, stuckDays: 5)
  return DealRow(
    deal: d, stage: stage, clientName: "ООО «Ромашка»", ownerLogin: "anna", daysInStage: 7,
    daysOver: daysOver)
}

@Suite struct DealExchangeTests {
  @Test func csvQuotesOnlyWhatItMustAndEndsRecordsWithCRLF() {
    #expect(CSV.field("Ромашка") == "Ромашка")
    #expect(CSV.field("Поставка, срочно") == "\"Поставка, срочно\"")
    #expect(CSV.field("ООО \"Вектор\"") == "\"ООО \"\"Вектор\"\"\"")
    #expect(CSV.field("две\nстроки") == "\"две\nстроки\"")
    #expect(CSV.field("две\r\nстроки") == "\"две\r\nстроки\"")
    #expect(CSV.field("a;b") == "a;b")
    #expect(CSV.field("") == "")
    #expect(
      CSV.text(header: ["a", "b"], rows: [["1", "x,y"], ["", ""]]) == "a,b\r\n1,\"x,y\"\r\n,\r\n")
    #expect(CSV.ratio(2.0 / 3.0) == "0.6667")
    #expect(CSV.ratio(1) == "1.0000")
    #expect(CSV.ratio(nil) == "")
    #expect(CSV.days(2.755) == "2.75" || CSV.days(2.755) == "2.76")
    #expect(CSV.days(3) == "3.00")
  }

  @Test func dealJSONCarriesAmountsAsStringsAndRatiosRounded() throws {
    let o = try jsonObject(DealJSON.object(offerRow(), language: .ru, pipeline: "sales"))
    #expect(
      Set(o.keys) == [
        "id", "version", "pipeline", "client", "client_id", "person", "person_id", "title", "stage",
        "stage_name", "status", "amount", "currency", "probability", "own_probability",
        "expected_close", "source", "lost_reason", "owner", "notes", "days_in_stage", "days_over",
        "stuck", "stage_since", "created", "updated", "closed",
      ])
    #expect(o["amount"] as? String == "1000.50")
    #expect(o["currency"] as? String == "RUB")
    #expect(o["stage"] as? String == "offer")
    #expect(o["stage_name"] as? String == "КП отправлено")
    #expect(o["probability"] as? Int == 25)
    #expect(o["own_probability"] as? Bool == false)
    #expect(o["days_over"] as? Int == 2)
    #expect(o["stuck"] as? Bool == true)
    #expect(o["created"] as? String == "1970-01-01T00:00:00Z")
    #expect(o["stage_since"] as? String == "1970-01-02T00:00:00Z")
    #expect(o["closed"] is NSNull)
    #expect(o["person"] is NSNull)
    #expect(o["expected_close"] as? String == "2026-12-31")
    let en = try jsonObject(DealJSON.object(offerRow(daysOver: nil), language: .en))
    #expect(en["stage_name"] as? String == "Offer sent")
    #expect(en["days_over"] is NSNull)
    #expect(en["pipeline"] is NSNull)
    let text = JSONText.text([
      DealJSON.ratio(2.0 / 3.0), DealJSON.ratio(0.75), DealJSON.ratio(nil),
    ])
    #expect(
      text.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "")
        == "[0.6667,0.75,null]")
    #expect(DealJSON.days(7.0 / 3.0) as? Double == 2.33)
  }

  @Test func eventsInWordsAgreeWithTheContactKind() {
    let f = Formats(language: .ru, timeZone: TimeZone(identifier: "UTC")!)
    let due = Date(timeIntervalSince1970: 1_795_687_200)  // 2026-11-26 10:00 UTC
    func row(_ kind: ContactKind) -> ContactRow {
      ContactRow(
        contact: Contact(id: 12, clientId: 3, kind: kind, dueAt: due, userId: 1),
        clientName: "ООО «Ромашка»", clientShortName: "Ромашка", userLogin: "anna")
    }
    let call = DealEvent(id: 1, entryId: 1, action: "plan call +3d", contactId: 12, at: due)
    #expect(
      DealText.event(call, contact: row(.call), formats: f)
        == "запланирован звонок №12 на 26.11.2026 10:00")
    #expect(
      DealText.event(call, contact: row(.meeting), formats: f)
        == "запланирована встреча №12 на 26.11.2026 10:00")
    #expect(
      DealText.event(call, contact: row(.letter), formats: f).hasPrefix("запланировано письмо"))
    let en = Formats(language: .en, timeZone: TimeZone(identifier: "UTC")!)
    #expect(
      DealText.event(call, contact: row(.call), formats: en)
        == "planned call №12 for 2026-11-26 10:00")
    #expect(DealText.event(call, contact: nil, formats: f) == "запланирован контакт №12")
    let offer = DealEvent(id: 2, entryId: 1, action: "draft offer", offerId: 3, at: due)
    #expect(DealText.event(offer, contact: nil, formats: f) == "черновик КП №3")
    #expect(DealText.event(offer, contact: nil, formats: en) == "draft offer №3")
    let gone = DealEvent(id: 3, entryId: 1, action: "draft offer", at: due)
    #expect(DealText.event(gone, contact: nil, formats: f) == "draft offer")
  }

  @Test func numbersDaysAndActionsInBothLanguages() {
    #expect(DealText.percent(2.0 / 3.0, language: .ru) == "66,7\u{00A0}%")
    #expect(DealText.percent(0.5, language: .en) == "50.0%")
    #expect(DealText.percent(nil, language: .ru) == "—")
    #expect(DealText.number(2.75, digits: 2, language: .ru) == "2,75")
    #expect(DealText.probability(25, language: .ru) == "25\u{00A0}%")
    #expect(DealText.day("2026-12-31", language: .ru) == "31.12.2026")
    #expect(DealText.day("2026-12-31", language: .en) == "2026-12-31")
    #expect(DealText.day("", language: .ru) == "")
    #expect(DealText.days(1, language: .en) == "1 day")
    #expect(
      DealText.stuck(daysOver: 3, limit: 5, language: .ru)
        == "зависла: на 3\u{00A0}дн. дольше нормы в 5\u{00A0}дн.")
    #expect(
      DealText.stuck(daysOver: 1, limit: 5, language: .en) == "stuck: 1 day over the 5-day limit")
    #expect(
      DealText.action(.plan(kind: .call, after: "+3d", subject: "Узнать решение"), language: .ru)
        == "запланировать: звонок через +3d «Узнать решение»")
    #expect(DealText.action(.draft(.offer), language: .en) == "draft an offer")
    #expect(DealText.action(.require(.lostReason), language: .ru) == "требует: причина проигрыша")
    #expect(DealText.kind(.won, language: .ru) == "выигрыш")
  }

  @Test func groupsGetARevenueColumnPerCurrencyRoublesFirst() {
    let groups = [
      GroupStat(
        key: "site", name: "Сайт", created: 3, won: 2, lost: 1,
        revenue: [
          Money(minor: 1_000_00, currency: Currency.named("USD")!), Money(minor: 150_000_00),
        ]),
      GroupStat(key: "", name: "(не указан)", created: 1, won: 0, lost: 0, revenue: []),
    ]
    #expect(
      ReportCSV.groups(groups)
        == "key,name,created,won,lost,win_rate,revenue_rub,revenue_usd\r\n"
        + "site,Сайт,3,2,1,0.6667,150000.00,1000.00\r\n" + ",(не указан),1,0,0,,0.00,0.00\r\n")
    #expect(ReportCSV.groups([]) == "key,name,created,won,lost,win_rate,revenue_rub\r\n")
    #expect(
      ReportCSV.deals([offerRow()], language: .ru)
        == "id,client,client_id,title,stage,stage_name,days_in_stage,days_over,owner,amount,"
        + "currency\r\n5,ООО «Ромашка»,3,\"Поставка, срочно\",offer,КП отправлено,7,2,anna,"
        + "1000.50,RUB\r\n")
  }

  @Test func funnelReportAsJSONAndCSV() throws {
    let data = try ContactData()
    let deals = DealService(db: data.db, userId: data.anna, language: .ru)
    let a = try deals.add(Deal(clientId: data.client, title: "A", amount: 100_000_00))
    let b = try deals.add(Deal(clientId: data.client, title: "B"))
    _ = try deals.add(Deal(clientId: data.client, title: "C"))
    try deals.move(a, to: "offer")
    try deals.won(a)
    try deals.lost(b, reason: "price")
    let report = try FunnelAnalytics(db: data.db, language: .ru).funnel(FunnelReportQuery())
    let o = try jsonObject(DealJSON.funnel(report, language: .ru, owner: "anna"))
    #expect(o["created"] as? Int == 3 && o["won"] as? Int == 1 && o["lost"] as? Int == 1)
    #expect(o["overall_conversion"] as? Double == 0.3333)
    #expect(o["win_rate"] as? Double == 0.5)
    #expect(o["owner"] as? String == "anna")
    #expect(o["source"] is NSNull)
    #expect((o["revenue"] as? [[String: Any]])?.first?["amount"] as? String == "100000.00")
    let stages = try #require(o["stages"] as? [[String: Any]])
    #expect(stages.map { $0["reached"] as? Int } == [3, 1, 1, 1, 1, 1, 1])
    #expect(stages[1]["conversion"] as? Double == 0.3333)
    let csv = ReportCSV.funnel(report, language: .en).components(separatedBy: "\r\n")
    #expect(csv.count == 9)
    #expect(csv[0] == "stage,name,reached,conversion,stays,mean_days,median_days,open_now")
    #expect(csv[1].hasPrefix("interest,Interest,3,,"))
    #expect(csv[1].hasSuffix(",1"))
    #expect(csv[2].hasPrefix("offer,Offer sent,1,0.3333,1,"))
  }
}

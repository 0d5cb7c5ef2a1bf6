import CRMCore
import CRMExchange
import Foundation
import TestSupport
import Testing

/// Our company with real check-digit-valid requisites: the bank is ПАО Сбербанк (БИК
/// 044525225, корр. счёт 30101810400000000225), the account keyed against that БИК.
let pdfCompany = LegalEntity(
  kind: .organization,
  fullName: "Общество с ограниченной ответственностью «Северный Ветер»",
  shortName: "ООО «Северный Ветер»", inn: "7707083893", kpp: "770701001",
  ogrn: "1027700132195", legalAddress: "123456, г. Москва, ул. Лесная, д. 5, офис 12",
  bankName: "ПАО Сбербанк", bik: "044525225", corrAccount: "30101810400000000225",
  account: "40702810938000000001", directorTitle: "Генеральный директор",
  directorName: "Иванов И. И.", accountantTitle: "Главный бухгалтер",
  accountantName: "Петрова А. А.", phone: "+7 495 123-45-67", email: "info@veter.ru",
  site: "veter.ru", isDefault: true)

/// What the real tools installed by scripts/test.sh (poppler-utils, zbar-tools) say of a PDF.
enum PDFTools {
  /// Runs `tool` with `args`, returns its standard output (standard error dropped).
  static func run(_ tool: String, _ args: [String]) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [tool] + args
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  static func file(_ data: Data, _ name: String = "doc.pdf") throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "crm-pdf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    try data.write(to: URL(fileURLWithPath: path))
    return path
  }

  /// `pdftotext -layout` of page `page` (all pages when nil).
  static func text(_ path: String, page: Int? = nil) throws -> String {
    var args = ["-layout", "-enc", "UTF-8"]
    if let page { args += ["-f", String(page), "-l", String(page)] }
    return try run("pdftotext", args + [path, "-"])
  }

  /// `pdfinfo` as key → value.
  static func info(_ path: String) throws -> [String: String] {
    var out: [String: String] = [:]
    for line in try run("pdfinfo", [path]).split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      out[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(
        in: .whitespaces)
    }
    return out
  }

  /// What zbarimg reads from page 1 rendered at 150 dpi.
  static func qr(_ path: String) throws -> String {
    let png = path + "-page"
    _ = try run("pdftoppm", ["-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", path, png])
    let out = try run("zbarimg", ["--quiet", "--raw", "-Sbinary", png + ".png"])
    return out.hasSuffix("\n") ? String(out.dropLast()) : out
  }
}

/// Text with the runs of spaces pdftotext lays out squeezed to one.
func squeezed(_ s: String) -> String {
  s.split(whereSeparator: { $0 == " " || $0 == "\u{00A0}" || $0 == "\u{0C}" }).joined(
    separator: " ")
}

@Suite(.serialized) struct DocumentPDFTests {
  @Test func invoiceShowsEveryRequisiteLineAndTotal() throws {
    let s = try MoneySample()
    var d = try s.invoice(
      [
        OfferLineInput(item: "Монтаж системы вентиляции", quantity: "2", price: "45 000,00"),
        OfferLineInput(item: "Фильтр воздушный G4", unit: "шт", quantity: "10", price: "1 234,56"),
      ], notes: "Доставка включена")
    d.clientName = "ООО «Вектор»"
    d.clientAddress = "141400, г. Химки, ул. Заводская, д. 1"
    let pdf = try DocumentPDF.render(DocumentForm.invoice(d, from: pdfCompany, language: .ru))
    let path = try PDFTools.file(pdf)
    let text = squeezed(try PDFTools.text(path))
    for expected in [
      "Банк получателя", "ПАО Сбербанк", "БИК", "044525225", "30101810400000000225",
      "40702810938000000001", "ИНН 7707083893", "КПП 770701001", "Получатель",
      "ООО «Северный Ветер»", "Счёт на оплату № 12 от 10 июня 2026 г.", "Поставщик:",
      "123456, г. Москва, ул. Лесная", "Покупатель:", "ООО «Вектор»", "ИНН 5001999994",
      "КПП 500101001", "г. Химки, ул. Заводская, д. 1", "договор № 7/25 от 01.06.2026",
      "Монтаж системы вентиляции", "45 000,00", "90 000,00", "Фильтр воздушный G4", "1 234,56",
      "12 345,60", "Итого:", "102 345,60", "В том числе НДС 22 %:", "18 455,77",
      "Всего к оплате:", "Всего наименований 2, на сумму 102 345,60",
      "Сто две тысячи триста сорок пять рублей 60 копеек", "20 июня 2026 г.",
      "Доставка включена", "Руководитель", "Генеральный директор", "Иванов И. И.", "Бухгалтер",
      "Петрова А. А.", "М.П.", "Страница 1 из 1",
    ] {
      #expect(text.contains(expected), "\(expected) not in:\n\(text)")
    }
    let info = try PDFTools.info(path)
    #expect(info["Page size"]?.hasPrefix("595.28 x 841.89 pts") == true, "\(info)")
    #expect(info["Pages"] == "1")
    #expect(info["Creator"] == "TermCRM")
    #expect(info["Title"] == "Счёт на оплату № 12 от 10 июня 2026 г.")
    let fonts = try PDFTools.run("pdffonts", [path])
    #expect(fonts.contains("DejaVuSans") && fonts.contains("yes"), "embedded: \(fonts)")
  }

  @Test func theQRCodeDecodesToTheGOSTString() throws {
    let s = try MoneySample()
    let d = try s.invoice(
      [OfferLineInput(item: "Обслуживание | ноябрь", quantity: "1", price: "15 000,50")])
    let pdf = try DocumentPDF.render(DocumentForm.invoice(d, from: pdfCompany, language: .ru))
    let read = try PDFTools.qr(try PDFTools.file(pdf))
    #expect(
      read
        == "ST00012|Name=ООО «Северный Ветер»|PersonalAcc=40702810938000000001"
        + "|BankName=ПАО Сбербанк|BIC=044525225|CorrespAcc=30101810400000000225"
        + "|PayeeINN=7707083893|KPP=770701001|Sum=1500050"
        + "|Purpose=Оплата по счёту № 12 от 10.06.2026. В том числе НДС 22 % — 2 705,01 руб.")
  }

  @Test func noQRCodeOnAForeignCurrencyInvoice() throws {
    let s = try MoneySample()
    let d = try s.invoice([DocumentDraft.sumLine("100")], client: s.vector, currency: "USD")
    let pdf = try DocumentPDF.render(DocumentForm.invoice(d, from: pdfCompany, language: .ru))
    #expect(try PDFTools.qr(try PDFTools.file(pdf)) == "")
  }

  @Test func aSixtyLineInvoiceRepeatsTheHeaderOnEveryPage() throws {
    let s = try MoneySample()
    let lines = (1...60).map {
      OfferLineInput(
        item:
          "Позиция \($0): кабель силовой ВВГнг-LS 3×2,5 с длинным наименованием, которое переносится",
        unit: "м", quantity: "\($0)", price: "100")
    }
    let d = try s.invoice(lines)
    let path = try PDFTools.file(
      try DocumentPDF.render(DocumentForm.invoice(d, from: pdfCompany, language: .ru)))
    let info = try PDFTools.info(path)
    let pages = try #require(Int(info["Pages"] ?? ""))
    #expect(pages >= 3, "\(info)")
    var seen: [Int] = []
    for page in 1...pages {
      let text = squeezed(try PDFTools.text(path, page: page))
      #expect(text.contains("Товары (работы, услуги)"), "page \(page) has no header")
      #expect(text.contains("Страница \(page) из \(pages)"))
      for n in 1...60 where text.contains("Позиция \(n):") { seen.append(n) }
    }
    #expect(seen == Array(1...60), "every line once, in order")
    let last = squeezed(try PDFTools.text(path, page: pages))
    #expect(last.contains("Всего к оплате:") && last.contains("Руководитель"))
  }

  @Test func actAndOfferAsPDF() throws {
    let s = try MoneySample()
    let invoice = try s.invoice()
    let act = try s.act(invoice: invoice.id)
    let actPath = try PDFTools.file(
      try DocumentPDF.render(DocumentForm.act(act, from: pdfCompany, language: .ru)))
    let actText = squeezed(try PDFTools.text(actPath))
    for expected in [
      "Акт №", "Исполнитель:", "Заказчик:", "ООО «Северный Ветер»", "ИСПОЛНИТЕЛЬ", "ЗАКАЗЧИК",
      "Сто двадцать тысяч рублей 00 копеек", "претензий", "Иванов И. И.",
    ] {
      #expect(actText.contains(expected), "\(expected) not in:\n\(actText)")
    }
    let offer = Offer(
      dealId: 1, number: "2026-0007", date: "2026-12-07", currency: "RUB",
      pricesIncludeVAT: true, validUntil: "2026-12-21", notes: "Срок поставки — 10 дней")
    let lines = [
      OfferLine(
        position: 1, item: "Кондиционер", unit: "шт", quantityMilli: 2000,
        price: 50_000_00, vatRate: 22, sum: 100_000_00)
    ]
    let form = DocumentForm.offer(
      offer, lines: lines, client: Client(name: "Вектор", legalForm: "ООО", inn: "5001999994"),
      from: pdfCompany, manager: "Анна Смирнова", language: .ru)
    let offerPath = try PDFTools.file(try DocumentPDF.render(form))
    let offerText = squeezed(try PDFTools.text(offerPath))
    for expected in [
      "Коммерческое предложение № 2026-0007 от 7 декабря 2026 г.",
      "Предложение действительно до 21 декабря 2026 г.", "Ваш менеджер:", "Анна Смирнова",
      "info@veter.ru", "Кондиционер", "100 000,00", "Срок поставки — 10 дней",
    ] {
      #expect(offerText.contains(expected), "\(expected) not in:\n\(offerText)")
    }
  }

  @Test func paymentStringFollowsTheStandard() {
    var q = PaymentQR(entity: pdfCompany, sumKopecks: 100, purpose: "a|b\nc")
    #expect(q.payload.hasPrefix("ST00012|Name=ООО «Северный Ветер»|PersonalAcc="))
    #expect(q.payload.hasSuffix("|Sum=100|Purpose=a/b c"))
    q.purpose = String(repeating: "я", count: 300)
    #expect(q.payload.hasSuffix("|Purpose=" + String(repeating: "я", count: 210)))
    q.correspondentAccount = ""
    #expect(q.payload.contains("|CorrespAcc=0|"))
  }

  @Test func fileNamesHoldNoSlashes() {
    #expect(
      DocumentPDF.fileName(.invoice, number: "12", date: "2026-12-07", language: .ru)
        == "Счёт-12-2026-12-07.pdf")
    #expect(
      DocumentPDF.fileName(.act, number: "7/25", date: "2026-11-30", language: .en)
        == "Act-7-25-2026-11-30.pdf")
  }
}

import Foundation
import Testing

/// `crm invoice print --pdf` read back with poppler-utils and zbar-tools.
@Suite(.serialized) struct PDFCommandTests {
  @Test func anInvoicePDFIsRefusedWithoutABankThenWrittenAndReadBack() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addCompany(s, "Вектор", inn: "5001999994", kpp: "500101001")
    _ = try ok(
      s,
      [
        "invoice", "add", "--client", client, "--number", "12", "--date", "07.12.2026",
        "--line", "Монтаж вентиляции|2|7 500,25",
      ])
    let out = s.dir + "/счёт.pdf"
    // No requisites yet: refused, naming the field; no file.
    let refused = try crm(s, ["invoice", "print", "1", "--pdf", "--out", out])
    #expect(refused.status != 0)
    #expect(!refused.err.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: out))
    _ = try ok(
      s,
      [
        "company", "add", "--kind", "organization", "--full-name",
        "Общество с ограниченной ответственностью «Северный Ветер»", "--short-name",
        "ООО «Северный Ветер»", "--inn", "7707083893", "--kpp", "770701001", "--ogrn",
        "1027700132195", "--legal-address", "123456, г. Москва, ул. Лесная, д. 5",
        "--bank-name", "ПАО Сбербанк", "--bik", "044525225", "--corr-account",
        "30101810400000000225", "--account", "40702810938000000001", "--director-title",
        "Генеральный директор", "--director-name", "Иванов И. И.", "--accountant-title",
        "Главный бухгалтер", "--accountant-name", "Петрова А. А.",
      ])
    // A PDF is never written to a terminal; to a file it prints the path.
    #expect(try ok(s, ["invoice", "print", "1", "--pdf", "--out", out]) == out)
    let text = try run("/usr/bin/pdftotext", ["-layout", out, "-"]).out
      .split(whereSeparator: { $0 == " " || $0 == "\u{00A0}" }).joined(separator: " ")
    for expected in [
      "Счёт на оплату № 12 от 7 декабря 2026 г.", "ПАО Сбербанк", "044525225",
      "40702810938000000001", "Вектор", "Монтаж вентиляции", "15 000,50",
      "Пятнадцать тысяч рублей 50 копеек", "Страница 1 из 1",
    ] {
      #expect(text.contains(expected), "\(expected) not in:\n\(text)")
    }
    let info = try run("/usr/bin/pdfinfo", [out]).out
    #expect(info.contains("595.28 x 841.89 pts (A4)"), "\(info)")
    _ = try run("/usr/bin/pdftoppm", ["-r", "150", "-png", "-singlefile", out, s.dir + "/page"])
    let qr = try run("/usr/bin/zbarimg", ["--quiet", "--raw", "-Sbinary", s.dir + "/page.png"]).out
    #expect(qr.hasPrefix("ST00012|Name=ООО «Северный Ветер»|PersonalAcc=40702810938000000001|"))
    #expect(qr.contains("|Sum=1500050|"), "\(qr)")
  }
}

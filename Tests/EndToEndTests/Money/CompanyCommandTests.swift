import Foundation
import Testing

/// Our company's requisites through the real binary: only an admin sets them, the check digits
/// are checked, and a manager who prints an invoice while a requisite is missing is told which
/// one and who the admin is, with nothing written.
@Suite(.serialized) struct CompanyCommandTests {
  @Test func aManagerCannotPrintAnInvoiceUntilTheAdminSetsEveryRequisite() throws {
    let s = Scratch()
    defer { s.remove() }
    // anna is the first user (admin); vera a manager.
    _ = try ok(s, ["user", "add", "vera", "--role", "manager"])
    _ = try ok(s, ["user", "set-name", "anna", "Анна Смирнова"])
    let client = try addCompany(s, "Вектор", inn: "5001999994", kpp: "500101001")
    let invoice = try ok(
      s, ["--user", "vera", "invoice", "add", "--client", client, "--sum", "1 234 567,89"])
    let out = s.dir + "/invoice.txt"
    func printAsVera() throws -> (status: Int32, out: String, err: String) {
      try crm(s, ["--user", "vera", "invoice", "print", invoice, "--out", out])
    }

    // Nothing set: the manager is told who sets it, never «crm settings set».
    var r = try printAsVera()
    #expect(r.status == 1)
    #expect(r.err.contains("Наша организация: реквизиты не заданы"), "\(r.err)")
    #expect(r.err.contains("Анна Смирнова (anna)"), "\(r.err)")
    #expect(!r.err.contains("crm settings"))
    #expect(!FileManager.default.fileExists(atPath: out))

    // A manager may not set them.
    let refused = try crm(s, ["--user", "vera"] + companyAdd())
    #expect(refused.status == 1)
    #expect(refused.err.contains("нужна роль admin"), "\(refused.err)")
    #expect(try sqlite(s, "SELECT count(*) FROM legal_entity") == "0\n")

    // A wrong account key is refused naming the field; nothing stored.
    var bad = companyAdd()
    bad[bad.firstIndex(of: "40702810938000012345")!] = "40702810938000012346"
    r = try crm(s, bad)
    #expect(r.status == 1)
    #expect(r.err.contains("Расчётный счёт: ключ счёта не сходится с БИК 044525225"), "\(r.err)")
    #expect(try sqlite(s, "SELECT count(*) FROM legal_entity") == "0\n")

    // Everything but the bank's name: the invoice names that field.
    var noBank = companyAdd()
    noBank.removeSubrange(
      noBank.firstIndex(of: "--bank-name")!...noBank.firstIndex(of: "--bank-name")! + 1)
    _ = try ok(s, noBank)
    r = try printAsVera()
    #expect(r.status == 1)
    #expect(
      r.err.contains("Банк: не указан в реквизитах ООО «Северный Ветер» (№ 1); ничего не записано"),
      "\(r.err)")
    #expect(r.err.contains("администратор: Анна Смирнова (anna)"), "\(r.err)")
    #expect(!FileManager.default.fileExists(atPath: out))

    // The admin fills it in; now the invoice prints with the bank block and the words.
    _ = try ok(s, ["company", "set", "bank_name", "ПАО Сбербанк"])
    r = try printAsVera()
    #expect(r.status == 0, "\(r.err)")
    let text = try String(contentsOfFile: out, encoding: .utf8)
    for part in [
      "Банк получателя", "| ПАО Сбербанк", "БИК   | 044525225", "Сч. № | 30101810400000000225",
      "ИНН 7707083893", "КПП 770701001", "Сч. № | 40702810938000012345", "Получатель",
      "Поставщик: ООО «Северный Ветер», ИНН 7707083893, КПП 770701001, ОГРН\n1027700132195",
      "Покупатель: ООО «Вектор», ИНН 5001999994, КПП 500101001",
      "1\u{00A0}234\u{00A0}567,89\u{00A0}₽", "В том числе НДС 22\u{00A0}%:",
      "Один миллион двести тридцать четыре тысячи пятьсот шестьдесят семь рублей 89",
      "Руководитель Генеральный директор", "/ Иванов И. И. /", "М.П.",
    ] {
      #expect(text.contains(part), "\(part) not in \(text)")
    }
    #expect(fits(text), "\(text)")

    // The HTML page is well-formed for a real HTML parser (libxml2's), the bank block and the
    // words in it; the logo image goes in as a data: URI.
    let page = s.dir + "/invoice.html"
    r = try crm(s, ["--user", "vera", "invoice", "print", invoice, "--html", "--out", page])
    #expect(r.status == 0, "\(r.err)")
    let lint = try run("/usr/bin/xmllint", ["--html", "--noout", page])
    #expect(lint.status == 0 && lint.err.isEmpty, "\(lint.err)")
    let html = try String(contentsOfFile: page, encoding: .utf8)
    #expect(html.contains("<table class=\"bank\">") && html.contains("Банк получателя"))
    #expect(html.contains("<p class=\"words\">Один миллион двести тридцать четыре тысячи"))

    // An invalid value planted in the file behind crm's back still stops the print.
    _ = try sqlite(s, "UPDATE legal_entity SET bik = '044525226'")
    try FileManager.default.removeItem(atPath: out)
    r = try printAsVera()
    #expect(r.status == 1)
    #expect(r.err.contains("Расчётный счёт: ключ счёта не сходится с БИК 044525226"), "\(r.err)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func imagesAreCheckedPNGsAndEntitiesAreListedShownAndRemoved() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try ok(s, companyAdd())
    let png = packageRoot.appendingPathComponent(
      "Tests/EndToEndTests/Fixtures/real/rust-favicon-32x32.png"
    ).path
    let notPNG = s.dir + "/logo.png"
    try Data("GIF89a not a png, whatever the name says".utf8).write(
      to: URL(fileURLWithPath: notPNG))
    var r = try crm(s, ["company", "image", "logo", notPNG])
    #expect(r.status == 1)
    #expect(r.err.contains("Логотип: не картинка PNG"), "\(r.err)")
    _ = try ok(s, ["company", "image", "logo", png])
    let stored = try sqlite(
      s, "SELECT hex(b.data) FROM legal_entity e JOIN blob b ON b.sha256 = e.logo_sha256")
    let original = try Data(contentsOf: URL(fileURLWithPath: png))
    #expect(stored == original.map { String(format: "%02X", $0) }.joined() + "\n")
    r = try crm(s, ["company", "image", "seal", png])
    #expect(r.status == 1 && r.err.contains("logo, stamp"), "\(r.err)")

    // An ИП as a second entity; the list marks the default.
    _ = try ok(
      s,
      [
        "company", "add", "--kind", "ip", "--short-name", "ИП Петров П. П.", "--inn",
        "500100732259",
      ])
    let list = try ok(s, ["company", "list"])
    #expect(list.contains("1 * ООО «Северный Ветер»"), "\(list)")
    #expect(list.contains("2   ИП Петров П. П."), "\(list)")
    #expect(list.contains("не хватает: Юридический адрес"), "\(list)")
    let show = try ok(s, ["company", "show", "1"])
    #expect(show.contains("Расчётный счёт: 40702810938000012345"), "\(show)")
    #expect(show.contains("Логотип: PNG, \(original.count) байт"), "\(show)")
    #expect(show.contains("Счёт на оплату: готово"), "\(show)")
    _ = try ok(s, ["company", "default", "2"])
    #expect(try sqlite(s, "SELECT id FROM legal_entity WHERE is_default = 1") == "2\n")
    _ = try ok(s, ["company", "rm", "1"])
    #expect(try sqlite(s, "SELECT count(*) FROM legal_entity") == "1\n")
    #expect(try sqlite(s, "SELECT count(*) FROM blob") == "0\n")
    let audit = try sqlite(
      s, "SELECT count(*) FROM audit WHERE entity = 'setting' AND field LIKE 'company.%'")
    #expect(Int(audit.trimmingCharacters(in: .newlines)) ?? 0 > 5, "\(audit)")
  }
}

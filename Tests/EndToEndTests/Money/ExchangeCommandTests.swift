import CRMExchange
import Foundation
import TestSupport
import Testing

/// The sample statements, copied into the exchange tests' golden folder.
func sampleStatement(_ name: String) -> String {
  packageRoot.appendingPathComponent("Tests/CRMExchangeTests/Golden/\(name)").path
}

@Suite(.serialized) struct ExchangeCommandTests {
  /// The sample statement's payer with its contract and invoice.
  func vector(_ s: Scratch) throws {
    _ = try addCompany(s, "Вектор", inn: "5001999994", kpp: "500101001")
    _ = try ok(s, ["contract", "add", "--client", "1", "--number", "7/25", "--sum", "500000"])
    _ = try ok(
      s,
      [
        "invoice", "add", "--contract", "1", "--sum", "120000", "--number", "12", "--date",
        "10.06.2025",
      ])
  }

  @Test func bankImportMatchesOnceAndADryRunChangesNothing() throws {
    let s = Scratch()
    defer { s.remove() }
    try vector(s)
    let before = try moneyRows(s)
    let dry = try jsonObject(
      s, ["import", "bank", sampleStatement("bank-statement-cp1251.txt"), "--dry-run"])
    #expect(dry["dry_run"] as? Bool == true)
    #expect(dry["matched"] as? Int == 1)
    #expect(dry["encoding"] as? String == "cp1251")
    #expect(try moneyRows(s) == before)
    let real = try jsonObject(s, ["import", "bank", sampleStatement("bank-statement-cp1251.txt")])
    let outcome = try #require((real["outcomes"] as? [[String: Any]])?.first)
    #expect(outcome["result"] as? String == "matched")
    #expect(outcome["invoices"] as? [String] == ["12"])
    #expect(outcome["contract"] as? String == "7/25")
    #expect(outcome["amount"] as? String == "120000.00")
    #expect(outcome["line"] as? Int == 21)
    // The same statement again, now in UTF-8: the same document, nothing added.
    let again = try jsonObject(s, ["import", "bank", sampleStatement("bank-statement-utf8.txt")])
    #expect(again["skipped"] as? Int == 1)
    #expect(try sqlite(s, "SELECT count(*), sum(amount) FROM payment") == "1|12000000\n")
    #expect(try sqlite(s, "SELECT paid = total FROM invoice") == "1\n")
    // The table names the result and the reason.
    let text = try ok(s, ["import", "bank", sampleStatement("bank-statement-utf8.txt")])
    #expect(text.contains("пропущен"))
    #expect(text.contains("уже загружен (платёж 1)"))
  }

  @Test func aBrokenStatementImportsNothingAndNamesTheLine() throws {
    let s = Scratch()
    defer { s.remove() }
    try vector(s)
    let before = try moneyRows(s)
    let good = try String(
      contentsOfFile: sampleStatement("bank-statement-utf8.txt"), encoding: .utf8)
    // A good document followed by a broken one.
    let docStart = good.range(of: "СекцияДокумент=")!.lowerBound
    let docEnd = good.range(of: "КонецФайла")!.lowerBound
    let broken = String(good[docStart..<docEnd])
      .replacingOccurrences(of: "Номер=417", with: "Номер=418")
      .replacingOccurrences(of: "Сумма=120000.00", with: "Сумма=-5")
    let twoDocs = String(good[..<docEnd]) + broken + "КонецФайла\n"
    let cases: [(String, String)] = [
      ("", "пуст"),
      (good.replacingOccurrences(of: "КонецДокумента\n", with: ""), "КонецДокумента"),
      (good.replacingOccurrences(of: "Сумма=120000.00", with: "Сумма=12a"), "Сумма"),
      (good.replacingOccurrences(of: "Дата=15.06.2025", with: "Дата=31.02.2025"), "Дата"),
      (good.replacingOccurrences(of: "КонецФайла", with: ""), "КонецФайла"),
      // The first document is good, the second broken: neither is imported.
      (twoDocs, "Сумма"),
      ("not a statement\n", "1CClientBankExchange"),
    ]
    for (i, (text, key)) in cases.enumerated() {
      let file = s.dir + "/bad\(i).txt"
      try Data(text.utf8).write(to: URL(fileURLWithPath: file))
      let r = try crm(s, ["import", "bank", file])
      #expect(r.status == 1, "case \(i): \(r.out)")
      #expect(r.err.contains(file), "case \(i): \(r.err)")
      #expect(r.err.contains(key), "case \(i): \(r.err)")
      #expect(text.isEmpty || r.err.contains("строка"), "case \(i): \(r.err)")
    }
    let missing = try crm(s, ["import", "bank", s.dir + "/nope.txt"])
    #expect(missing.status == 1)
    #expect(try moneyRows(s) == before)
    #expect(try sqlite(s, "SELECT count(*) FROM bank_import") == "0\n")
  }

  @Test func actsAreExportedOnceAndLogged() throws {
    let s = Scratch()
    defer { s.remove() }
    try vector(s)
    _ = try ok(s, ["act", "add", "--invoice", "1", "--date", "20.06.2025"])
    let out = s.dir + "/acts.xml"
    let refused = try crm(s, ["export", "acts", "--format", "enterprisedata", "--out", out])
    #expect(refused.status == 1)
    #expect(refused.err.contains("company_name"))
    #expect(!FileManager.default.fileExists(atPath: out))
    _ = try ok(s, ["settings", "set", "company_name", "ООО \"Ромашка & Ко\""])
    _ = try ok(s, ["settings", "set", "company_inn", "7707083893"])
    let bad = try crm(
      s,
      ["export", "acts", "--format", "enterprisedata", "--format-version", "9.9", "--out", out])
    #expect(bad.status == 1)
    #expect(bad.err.contains("1.8"))
    _ = try ok(s, ["export", "acts", "--format", "enterprisedata", "--out", out])
    let acts = try EnterpriseDataReader.read(try Data(contentsOf: URL(fileURLWithPath: out)))
    #expect(acts.map(\.number) == ["1"])
    #expect(acts.first?.total == 120_000_00)
    #expect(acts.first?.counterpartyINN == "5001999994")
    #expect(acts.first?.contractNumber == "7/25")
    // Once only, unless asked again.
    let second = s.dir + "/second.xml"
    let none = try ok(s, ["export", "acts", "--format", "enterprisedata", "--out", second])
    #expect(none.contains("--again"))
    #expect(!FileManager.default.fileExists(atPath: second))
    let csv = s.dir + "/acts.csv"
    _ = try ok(s, ["export", "acts", "--format", "csv", "--again", "--out", csv])
    let csvText = try String(contentsOfFile: csv, encoding: .utf8)
    #expect(csvText.contains("5001999994"))
    let log = try jsonArray(s, ["export", "log"])
    #expect(log.map { $0["format"] as? String } == ["csv", "enterprisedata-1.17"])
    #expect(log.last?["file"] as? String == out)
    #expect(log.last?["items"] as? Int == 1)
    // Reconciled against the file we wrote, the act matches; the payment not imported yet is
    // only in accounting.
    let r = try jsonObject(
      s,
      [
        "report", "reconcile", "--bank", sampleStatement("bank-statement-utf8.txt"), "--acts",
        out, "--from", "01.06.2025", "--to", "30.06.2025",
      ])
    let rows = try #require(r["rows"] as? [[String: Any]])
    #expect(
      rows.contains { $0["document"] as? String == "act" && $0["kind"] as? String == "matched" })
    #expect(
      rows.contains {
        $0["document"] as? String == "payment" && $0["kind"] as? String == "only_accounting"
          && $0["line"] as? Int == 21
      })
    #expect(r["agrees"] as? Bool == false)
    let csvReport = try ok(
      s, ["report", "reconcile", "--bank", sampleStatement("bank-statement-utf8.txt"), "--csv"])
    #expect(csvReport.hasPrefix("kind,document,client_id"))
    _ = try ok(s, ["import", "bank", sampleStatement("bank-statement-utf8.txt")])
    let text = try ok(
      s, ["report", "reconcile", "--bank", sampleStatement("bank-statement-utf8.txt")])
    #expect(text.contains("Стороны сходятся."))
    #expect(fits(text))
  }

  /// What `crm export acts` writes for 1.6 and 1.8 passes xmllint against 1C's published schema
  /// of that version (Tests/CRMExchangeTests/Fixtures/real/enterprisedata).
  @Test func exportedActsValidateAgainst1CsSchema() throws {
    let s = Scratch()
    defer { s.remove() }
    try vector(s)
    _ = try addCompany(s, "Рога & Копыта <Север>", inn: "7736207543", kpp: "773601001")
    _ = try ok(s, ["contract", "add", "--client", "2", "--number", "Б/Н", "--sum", "5000"])
    // 20 % and no VAT in one invoice: 1.6 and 1.8 end at 20 %, so a 2026 rate is refused there.
    _ = try ok(
      s,
      [
        "invoice", "add", "--contract", "2", "--number", "13", "--date", "11.06.2025", "--line",
        "Сопровождение «1С» & отчётность|1|100000|20", "--line", "Обучение; 2 часа|2|2500|без НДС",
      ])
    _ = try ok(s, ["act", "add", "--invoice", "1", "--date", "20.06.2025"])
    _ = try ok(s, ["act", "add", "--invoice", "2", "--date", "21.06.2025"])
    _ = try ok(s, ["settings", "set", "company_name", "ООО \"Ромашка & Ко\""])
    _ = try ok(s, ["settings", "set", "company_inn", "7707083893"])
    _ = try ok(s, ["settings", "set", "company_kpp", "770701001"])
    for version in ["1.6", "1.8"] {
      let out = s.dir + "/acts-\(version).xml"
      _ = try ok(
        s,
        [
          "export", "acts", "--format", "enterprisedata", "--format-version", version, "--again",
          "--out", out,
        ])
      let data = try Data(contentsOf: URL(fileURLWithPath: out))
      #expect(try EnterpriseDataReader.read(data).count == 2, "\(version)")
      let text = String(decoding: data, as: UTF8.self)
      #expect(text.contains("НДС20<") && text.contains("БезНДС<"), "\(version)")
      let r = try EnterpriseDataSchema.validate(data, version: version)
      #expect(r.valid, "\(version): \(r.output)")
    }
  }
}

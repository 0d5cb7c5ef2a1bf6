import Foundation
import Testing

/// `crm offer line discount` / `copy`, and outcomes in the sales-process file.
@Suite(.serialized) struct OfferDiscountCommandTests {
  @Test func aDiscountLineAndACopiedLineFromTheShell() throws {
    let s = Scratch()
    defer { s.remove() }
    let client = try addClient(s)
    let deal = try addDeal(s, client: client, "Поставка")
    let id = try crm(s, ["offer", "add", "--deal", deal]).out
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let line = try crm(
      s, ["offer", "line", "add", id, "--item", "Болт", "--qty", "10", "--price", "100"])
    #expect(line.status == 0, "\(line.err)")
    let discount = try crm(s, ["offer", "line", "discount", id, "--amount", "10 %"])
    #expect(discount.status == 0, "\(discount.err)")
    #expect(discount.out == "2\n")
    #expect(try crm(s, ["offer", "line", "copy", id, "1"]).out == "2\n")
    // The discount follows the copied line: 10 % of 2 000.
    #expect(
      try sqlite(s, "SELECT item, sum, percent FROM offer_line ORDER BY position")
        == "Болт|100000|\nБолт|100000|\nСкидка 10 %|-20000|1000\n")
    let shown = try crm(s, ["offer", "show", id])
    #expect(
      shown.out.contains("3. Скидка 10 % — 10 %, НДС 22\u{00A0}% = -200,00\u{00A0}₽"),
      "\(shown.out)")
    let big = try crm(s, ["offer", "line", "discount", id, "--amount", "5000"])
    #expect(big.status == 1 && big.err.contains("скидка больше суммы строк"), "\(big.err)")
  }

  @Test func anOldProcessFileKeepsTheOutcomesAndANewOneSetsThem() throws {
    let s = Scratch()
    defer { s.remove() }
    _ = try addClient(s)
    let file = s.dir + "/funnel.toml"
    #expect(try crm(s, ["pipeline", "export", "--out", file]).status == 0)
    let text = try String(contentsOfFile: file, encoding: .utf8)
    #expect(text.contains("{ key = \"meeting\", name = \"Договорились о встрече\""))
    // Without the outcomes key (a file from before them): the stored list stays.
    let old = text.components(separatedBy: "\n").reduce(into: (lines: [String](), skip: false)) {
      acc, line in
      if line.hasPrefix("outcomes = [") { acc.skip = true }
      if !acc.skip { acc.lines.append(line) }
      if acc.skip && line == "]" { acc.skip = false }
    }.lines.joined(separator: "\n")
    #expect(!old.contains("outcomes ="))
    try old.write(toFile: file, atomically: true, encoding: .utf8)
    let keep = try crm(s, ["pipeline", "import", file])
    #expect(keep.status == 0, "\(keep.err)")
    #expect(try sqlite(s, "SELECT count(*) FROM choice WHERE list = 'outcome'") == "7\n")
    // With it: the file's list.
    try (old + "\n").replacingOccurrences(
      of: "lost_reasons = [", with: "outcomes = [\"Тендер\"]\nlost_reasons = ["
    ).write(toFile: file, atomically: true, encoding: .utf8)
    let set = try crm(s, ["pipeline", "import", file])
    #expect(set.status == 0, "\(set.err)")
    #expect(try sqlite(s, "SELECT name FROM choice WHERE list = 'outcome'") == "Тендер\n")
  }
}

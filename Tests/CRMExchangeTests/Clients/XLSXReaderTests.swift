import CRMCore
import Foundation
import XCTest

@testable import CRMExchange

final class XLSXReaderTests: XCTestCase {
  static let real = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fixtures/real/xlsx")

  func realSheet(_ name: String, sheet: String? = nil) throws -> XLSXSheet {
    try XLSXReader(contentsOf: Self.real.appendingPathComponent(name)).read(sheet: sheet)
  }

  func texts(_ s: XLSXSheet) -> [[String]] { s.rows.map(\.texts) }

  // MARK: real files (see Fixtures/real/xlsx/SOURCES.md)

  func testLibreOfficeDatesIn1900And1904Systems() throws {
    for file in ["calamine-date.xlsx", "calamine-date_1904.xlsx"] {
      let s = try realSheet(file)
      XCTAssertEqual(s.name, "Sheet1")
      XCTAssertEqual(s.rows.map(\.number), [1, 2, 3], file)
      XCTAssertEqual(s.rows[0].values, [.date("2021-01-01"), .number(15)], file)
      XCTAssertEqual(s.rows[1].values, [.date("2021-01-02"), .number(16)], file)
      // [hh]:mm:ss is elapsed time, a duration: it stays a number.
      XCTAssertEqual(s.rows[2].values, [.number(10.6320601851852), .number(17)], file)
      XCTAssertEqual(s.warnings, [])
    }
  }

  func testOpenpyxlISODatesAndInlineStrings() throws {
    let s = try realSheet("calamine-date_iso.xlsx")
    XCTAssertEqual(s.name, "Sheet")
    XCTAssertEqual(s.rows[0].values, [.date("2021-01-01")])
    XCTAssertEqual(s.rows[1].values, [.date("2021-01-01 10:10:10")])
    XCTAssertEqual(s.rows[2].values, [.date("10:10:10")])
    XCTAssertEqual(s.rows[3].texts, ["This workbook contains datetime in ISO 8601"])
    XCTAssertEqual(s.rows.count, 6)
  }

  func testDotNetPrefixedElementsRichTextAndGaps() throws {
    // x:c, x:is, x:t; A1 inline, H1 shared, B1…G1 styled but empty.
    let s = try realSheet("calamine-richtext-namespaced.xlsx")
    XCTAssertEqual(s.rows.count, 1)
    let row = s.rows[0]
    XCTAssertEqual(row.values.count, 8)
    XCTAssertEqual(row.values[0], .text("inline string\nLine 2\nLine 3"))
    XCTAssertEqual(row.values[1..<7].filter { $0 != nil }.count, 0)
    XCTAssertEqual(row.values[7], .text("shared string\nLine 2\nLine 3"))
    XCTAssertEqual(
      try XLSXReader(
        contentsOf: Self.real.appendingPathComponent(
          "calamine-richtext-namespaced.xlsx")
      ).sheets.map(\.name), ["Sheet1", "Sheet2", "Sheet3"])
  }

  func testPhoneticRunsAreLeftOut() throws {
    XCTAssertEqual(texts(try realSheet("calamine-rph.xlsx")), [["課きく\u{3000}毛こ"]])
  }

  func testNonStandardRelationshipPrefixAndNumbers() throws {
    XCTAssertEqual(
      texts(try realSheet("calamine-nonstandard-xml-ns-prefix.xlsx")),
      [["a", "b"], ["1", "3"], ["2", "4"]])
  }

  func testCDATAInlineStringsAndEscapes() throws {
    XCTAssertEqual(
      texts(try realSheet("calamine-inlineStr_cdata.xlsx")),
      [["Hello CDATA", "World"], ["12345", "NormalText"]])
    XCTAssertEqual(texts(try realSheet("calamine-has_x000D_.xlsx")), [["ABC\r\nDEF"]])
  }

  func testErrorCells() throws {
    let s = try realSheet("calamine-errors.xlsx")
    XCTAssertEqual(
      s.rows.map(\.values),
      ["#DIV/0!", "#NAME?", "#VALUE!", "#NULL!", "#REF!", "#NUM!", "#N/A"].map { [.error($0)] })
  }

  // MARK: built workbooks

  func book(
    _ rows: String, shared: [String]? = nil, styles: String? = nil, date1904: Bool = false,
    sheets more: [(String, String)] = []
  ) throws -> XLSXReader {
    let data = try XLSXBuilder.workbook(
      sheets: [("Клиенты", rows)] + more.map { (name: $0.0, rows: $0.1) }, sharedStrings: shared,
      styles: styles, date1904: date1904)
    return try XLSXReader(data: data, fileName: "clients.xlsx")
  }

  static let dateStyles = """
    <numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/>\
    <numFmt numFmtId="165" formatCode="#,##0.00\\ &quot;₽&quot;"/>\
    <numFmt numFmtId="166" formatCode="[$-419]d\\ mmmm\\ yyyy\\ &quot;г.&quot;"/></numFmts>\
    <cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>\
    <xf numFmtId="165"/><xf numFmtId="22"/><xf numFmtId="166"/><xf numFmtId="20"/></cellXfs>
    """

  func testTypedCellsGapsAndSharedStrings() throws {
    let rows = """
      <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>\
      <row r="3"><c r="A3" t="s"><v>2</v></c><c r="B3"><v>79161234567</v></c>\
      <c r="C3" s="1"><v>45658</v></c><c r="D3" s="2"><v>45659.5</v></c>\
      <c r="E3" s="3"><v>1234.5</v></c><c r="F3" t="b"><v>1</v></c><c r="G3" s="4"><v>45658.75</v></c>\
      <c r="H3" s="5"><v>45660</v></c><c r="I3" s="6"><v>0.5</v></c><c r="J3" t="str"><f>A3</f><v>ООО</v></c>\
      <c r="K3"><v>7.9E-3</v></c><c r="L3"><v>1.5E+20</v></c></row>\
      <row r="4"><c r="A4" t="s"><v>3</v></c></row>
      """
    let shared = [
      "<t>Название</t>", "<t>Телефон</t>",
      "<r><rPr><b/></rPr><t>ООО «Ромашка»</t></r><r><t xml:space=\"preserve\"> и партнёры</t></r>",
      "<t/>",
    ]
    let s = try book(rows, shared: shared, styles: Self.dateStyles).read()
    XCTAssertEqual(s.name, "Клиенты")
    XCTAssertEqual(s.rows.map(\.number), [1, 3])  // row 4 holds only an empty string
    XCTAssertEqual(s.rows[0].values, [.text("Название"), nil, .text("Телефон")])
    XCTAssertEqual(s.rows[0].texts, ["Название", "", "Телефон"])
    XCTAssertEqual(
      s.rows[1].values,
      [
        .text("ООО «Ромашка» и партнёры"), .number(79_161_234_567), .date("2025-01-01"),
        .date("2025-01-02 12:00:00"), .number(1234.5), .bool(true), .date("2025-01-01 18:00:00"),
        .date("2025-01-03"), .date("12:00:00"), .text("ООО"), .number(0.0079), .number(1.5e20),
      ])
    XCTAssertEqual(s.rows[1].texts[1], "79161234567")
    XCTAssertEqual(s.rows[1].texts[4], "1234.5")
    XCTAssertEqual(s.rows[1].texts[10], "0.0079")
  }

  func testDateSystem1904AndExcelsPhantomLeapDay() throws {
    let styles = "<cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/></cellXfs>"
    let r1904 = try book(
      "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c><c r=\"B1\" s=\"1\"><v>44196</v></c></row>",
      styles: styles, date1904: true
    ).read()
    XCTAssertEqual(r1904.rows[0].values, [.date("1904-01-01"), .date("2025-01-01")])
    let r1900 = try book(
      "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>1</v></c><c r=\"B1\" s=\"1\"><v>59</v></c>"
        + "<c r=\"C1\" s=\"1\"><v>61</v></c><c r=\"D1\" s=\"1\"><v>60</v></c>"
        + "<c r=\"E1\" s=\"1\"><v>-3</v></c><c r=\"F1\" s=\"1\"><v>3000000</v></c></row>",
      styles: styles
    ).read()
    XCTAssertEqual(
      r1900.rows[0].values,
      [
        .date("1900-01-01"), .date("1900-02-28"), .date("1900-03-01"), .number(60), .number(-3),
        .number(3_000_000),
      ])
    XCTAssertEqual(r1900.warnings.map(\.cell), ["D1", "E1", "F1"])
    XCTAssertEqual(
      r1900.warnings[0].message(.ru),
      "ячейка D1: 60 — не дата, которую может показать Excel; оставлено числом")
  }

  func testCustomFormatDetection() {
    XCTAssertEqual(DateKind(formatCode: "dd/mm/yyyy;@"), .date)
    XCTAssertEqual(DateKind(formatCode: "yyyy\\-mm\\-dd"), .date)
    XCTAssertEqual(DateKind(formatCode: "[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy"), .date)
    XCTAssertEqual(DateKind(formatCode: "dd.mm.yyyy hh:mm"), .dateTime)
    XCTAssertEqual(DateKind(formatCode: "h:mm AM/PM"), .time)
    XCTAssertEqual(DateKind(formatCode: "mmm"), .date)
    XCTAssertNil(DateKind(formatCode: "[h]:mm:ss"))
    XCTAssertNil(DateKind(formatCode: "General"))
    XCTAssertNil(DateKind(formatCode: "#,##0.00\\ \"₽\""))
    XCTAssertNil(DateKind(formatCode: "0.00E+00"))
    XCTAssertNil(DateKind(formatCode: "[Red]0.00;[Blue]-0.00"))
    XCTAssertNil(DateKind(formatCode: "\"day\" 0"))
    XCTAssertEqual(DateKind(builtin: 14), .date)
    XCTAssertEqual(DateKind(builtin: 22), .dateTime)
    XCTAssertNil(DateKind(builtin: 4))
  }

  func testCellsWithoutReferencesFollowEachOther() throws {
    let s = try book(
      "<row><c t=\"inlineStr\"><is><t>a</t></is></c><c><v>2</v></c></row>"
        + "<row><c r=\"C2\"><v>3</v></c><c><v>4</v></c></row>"
    ).read()
    XCTAssertEqual(s.rows.map(\.number), [1, 2])
    XCTAssertEqual(s.rows.map(\.texts), [["a", "2"], ["", "", "3", "4"]])
  }

  func testSheetChoiceByNameOrNumber() throws {
    let r = try book(
      XLSXBuilder.textRow(1, ["first"]),
      sheets: [
        ("Лист2", XLSXBuilder.textRow(1, ["second"])), ("3", XLSXBuilder.textRow(1, ["named 3"])),
      ])
    XCTAssertEqual(try r.read().rows[0].texts, ["first"])
    XCTAssertEqual(try r.read(sheet: "Лист2").rows[0].texts, ["second"])
    XCTAssertEqual(try r.read(sheet: "лист2").rows[0].texts, ["second"])
    XCTAssertEqual(try r.read(sheet: "2").rows[0].texts, ["second"])
    XCTAssertEqual(try r.read(sheet: "3").rows[0].texts, ["named 3"])  // a name wins
    XCTAssertThrowsError(try r.read(sheet: "Сделки")) { e in
      XCTAssertEqual(
        (e as? XLSXError)?.message(.ru),
        "clients.xlsx: листа «Сделки» нет; листы: «Клиенты», «Лист2», «3»")
    }
    XCTAssertThrowsError(try r.read(sheet: "4"))
  }

  // MARK: malformed input

  func assertRefused(
    _ make: () throws -> XLSXSheet, _ ru: String, file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertThrowsError(try make(), file: file, line: line) { e in
      XCTAssertEqual((e as? XLSXError)?.message(.ru), ru, file: file, line: line)
    }
  }

  func testBadSharedStringIndexNamesTheCell() throws {
    let r = try book("<row r=\"2\"><c r=\"B2\" t=\"s\"><v>5</v></c></row>", shared: ["<t>x</t>"])
    assertRefused(
      { try r.read() },
      "clients.xlsx, лист «Клиенты», ячейка B2: общей строки «5» нет (в файле их 1)")
  }

  func testNumberCellWithoutNumberAndBadBoolean() throws {
    assertRefused(
      { try self.book("<row r=\"1\"><c r=\"C1\" s=\"1\"><v>вчера</v></c></row>").read() },
      "clients.xlsx, лист «Клиенты», ячейка C1: «вчера» в числовой ячейке — не число")
    assertRefused(
      { try self.book("<row r=\"1\"><c r=\"A1\" t=\"b\"><v>yes</v></c></row>").read() },
      "clients.xlsx, лист «Клиенты», ячейка A1: «yes» — не логическое значение")
  }

  func testBadReferencesAndRows() throws {
    assertRefused(
      { try self.book("<row r=\"1\"><c r=\"B2\"><v>1</v></c></row>").read() },
      "clients.xlsx, лист «Клиенты», ячейка B2: ссылка на ячейку «B2» не подходит к строке 1 после столбца A"
    )
    assertRefused(
      { try self.book("<row r=\"2\"></row><row r=\"1\"></row>").read() },
      "clients.xlsx, лист «Клиенты»: номер строки «1» после строки 2 недопустим")
  }

  func testBrokenXMLAndMissingParts() throws {
    assertRefused(
      { try self.book("<row r=\"1\"><c r=\"A1\"><v>1</v></row>").read() },
      "clients.xlsx, лист «Клиенты», часть xl/worksheets/sheet1.xml: XML листа повреждён в строке 1"
    )
    let noSheet = try XLSXBuilder.zip([
      (
        "xl/workbook.xml",
        Data(
          "<workbook xmlns:r=\"urn:r\"><sheets><sheet name=\"A\" r:id=\"rId1\"/></sheets></workbook>"
            .utf8)
      )
    ])
    assertRefused(
      { try XLSXReader(data: noSheet, fileName: "a.xlsx").read() },
      "a.xlsx, лист «A», часть xl/worksheets/sheet1.xml: части листа xl/worksheets/sheet1.xml нет в архиве"
    )
    let noWorkbook = try XLSXBuilder.zip([("hello.txt", Data("hi".utf8))])
    assertRefused(
      { try XLSXReader(data: noWorkbook, fileName: "b.xlsx").read() },
      "b.xlsx, часть xl/workbook.xml: это не книга XLSX: в архиве нет xl/workbook.xml")
  }

  func testNotAZipAndTruncatedZip() throws {
    assertRefused(
      { try XLSXReader(data: Data("Имя;Телефон\n".utf8), fileName: "c.xlsx").read() },
      "c.xlsx: это не книга XLSX (не zip-архив)")
    let good = try XLSXBuilder.workbook(sheets: [("S", XLSXBuilder.textRow(1, ["a"]))])
    for cut in [good.count / 3, good.count / 2, good.count - 30] {
      XCTAssertThrowsError(try XLSXReader(data: good.prefix(cut), fileName: "d.xlsx").read()) {
        XCTAssertTrue($0 is XLSXError, "\($0)")
      }
    }
    let missing = URL(fileURLWithPath: "/nonexistent/клиенты.xlsx")
    XCTAssertThrowsError(try XLSXReader(contentsOf: missing)) { e in
      XCTAssertEqual((e as? XLSXError)?.message(.en), "клиенты.xlsx: no such file")
    }
  }

  // MARK: a real writer: openpyxl

  /// A workbook written by openpyxl (Debian's python3-openpyxl) with what a client list holds:
  /// Cyrillic names, phone numbers as numbers and as text, dates, a boolean, a skipped column,
  /// and a second sheet.
  func testWorkbookWrittenByOpenpyxl() throws {
    let python = "/usr/bin/python3"
    let check = Process()
    check.executableURL = URL(fileURLWithPath: python)
    check.arguments = ["-c", "import openpyxl"]
    try check.run()
    check.waitUntilExit()
    guard check.terminationStatus == 0 else {
      throw XCTSkip("python3-openpyxl is not installed (scripts/test.sh installs it)")
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "xlsx-openpyxl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("клиенты.xlsx")
    let script = """
      import datetime, sys, openpyxl
      wb = openpyxl.Workbook()
      ws = wb.active
      ws.title = "Контрагенты"
      ws.append(["Наименование", "ИНН", "Телефон", "Дата договора", "Активен", None, "Сумма"])
      ws.append(["ООО «Ромашка»", "7707083893", 79161234567, datetime.date(2025, 3, 14), True, None, 1500.25])
      ws.append(["ИП Петров", "500100732259", "+7 (495) 123-45-67", datetime.datetime(2024, 12, 31, 9, 30), False, None, 0])
      ws["D3"].number_format = "dd.mm.yyyy hh:mm"
      ws2 = wb.create_sheet("Сделки")
      ws2.append(["x"])
      wb.save(sys.argv[1])
      """
    let p = Process()
    p.executableURL = URL(fileURLWithPath: python)
    p.arguments = ["-c", script, out.path]
    try p.run()
    p.waitUntilExit()
    XCTAssertEqual(p.terminationStatus, 0)
    let r = try XLSXReader(contentsOf: out)
    XCTAssertEqual(r.sheets.map(\.name), ["Контрагенты", "Сделки"])
    let s = try r.read()
    XCTAssertEqual(
      s.rows.map(\.texts),
      [
        ["Наименование", "ИНН", "Телефон", "Дата договора", "Активен", "", "Сумма"],
        ["ООО «Ромашка»", "7707083893", "79161234567", "2025-03-14", "TRUE", "", "1500.25"],
        [
          "ИП Петров", "500100732259", "+7 (495) 123-45-67", "2024-12-31 09:30:00", "FALSE", "",
          "0",
        ],
      ])
    XCTAssertEqual(s.rows[1].values[3], .date("2025-03-14"))
    XCTAssertEqual(try r.read(sheet: "Сделки").rows.map(\.texts), [["x"]])
  }
}

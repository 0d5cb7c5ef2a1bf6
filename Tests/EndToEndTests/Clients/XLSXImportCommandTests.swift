import Foundation
import Testing

/// `crm import xlsx` on workbooks written by openpyxl (a real writer of the format): the same
/// profiles and rules as CSV, typed cells read as such, refusals naming the cell or sheet.
@Suite struct XLSXImportCommandTests {
  /// Writes `rows` (the first is the header) to sheet «Клиенты» of `path` with openpyxl; a cell
  /// given as `date:YYYY-MM-DD` is a date cell, `num:N` a number cell.
  static func workbook(_ path: String, _ rows: [[String]], extraSheetFirst: Bool = false) throws {
    let script = """
      import json, sys, datetime, openpyxl
      rows = json.loads(sys.argv[2])
      wb = openpyxl.Workbook()
      ws = wb.active
      if \(extraSheetFirst ? "True" : "False"):
          ws.title = "Справка"
          ws.append(["Это не клиенты"])
          ws = wb.create_sheet("Клиенты")
      else:
          ws.title = "Клиенты"
      for r in rows:
          out = []
          for v in r:
              if v.startswith("date:"):
                  out.append(datetime.date.fromisoformat(v[5:]))
              elif v.startswith("num:"):
                  out.append(int(v[4:]))
              else:
                  out.append(v)
          ws.append(out)
      wb.save(sys.argv[1])
      """
    let data = try JSONSerialization.data(withJSONObject: rows)
    let r = try run(
      "/usr/bin/python3", ["-c", script, path, String(decoding: data, as: UTF8.self)])
    #expect(r.status == 0, "\(r.err)")
  }

  @Test func aBitrixShapedSheetImportsWithTypedCells() throws {
    let s = Scratch()
    defer { s.remove() }
    let file = s.dir + "/clients.xlsx"
    try Self.workbook(
      file,
      [
        ["Название компании", "Рабочий телефон", "Рабочий e-mail", "ИНН", "Дата рождения", "Имя"],
        ["Ромашка", "num:74951234567", "info@romashka.example", "7707083893", "", "Ольга"],
        ["Вектор", "+7 916 555-01-02", "", "num:5001999994", "", ""],
        ["", "", "", "", "date:1985-03-07", "Пётр Жуков"],
      ])
    let r = try crm(s, ["import", "xlsx", file])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("Битрикс24"), "\(r.out)")
    let rows = try run(
      "/usr/bin/sqlite3",
      [s.db, "SELECT name, inn FROM client ORDER BY id; SELECT e164 FROM phone ORDER BY id;"]
    ).out
    #expect(rows.contains("Ромашка|7707083893"), "\(rows)")
    #expect(rows.contains("Вектор|5001999994"), "\(rows)")
    #expect(rows.contains("+74951234567") && rows.contains("+79165550102"), "\(rows)")
    #expect(rows.contains("Пётр Жуков"), "\(rows)")
  }

  @Test func theSheetIsChosenAndRefusalsNameIt() throws {
    let s = Scratch()
    defer { s.remove() }
    let file = s.dir + "/two.xlsx"
    try Self.workbook(
      file, [["Название", "Телефон"], ["Альфа", "+7 495 765-43-21"]], extraSheetFirst: true)
    let missing = try crm(s, ["import", "xlsx", file, "--sheet", "Нет такого"])
    #expect(missing.status != 0)
    #expect(missing.err.contains("Клиенты"), "the message lists the sheets: \(missing.err)")
    let ok = try crm(s, ["import", "xlsx", file, "--sheet", "Клиенты"])
    #expect(ok.status == 0, "\(ok.err)")
    #expect(
      try run("/usr/bin/sqlite3", [s.db, "SELECT name FROM client"]).out.contains("Альфа"))
    let broken = s.dir + "/broken.xlsx"
    try Data("PK\u{3}\u{4}not a zip".utf8).write(to: URL(fileURLWithPath: broken))
    let bad = try crm(s, ["import", "xlsx", broken])
    #expect(bad.status != 0)
    #expect(bad.err.contains("broken.xlsx"), "\(bad.err)")
  }
}

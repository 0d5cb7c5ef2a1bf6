import Foundation
import ZIPFoundation

/// Packs workbook parts into an .xlsx zip: for the tests, the fuzz seeds and the import bench,
/// which need workbooks of a known shape (and malformed ones) without a spreadsheet program.
public enum XLSXBuilder {
  /// A zip holding `parts` (path → content), stored in path order, deflated.
  public static func zip(_ parts: [(path: String, data: Data)]) throws -> Data {
    let archive = try Archive(data: Data(), accessMode: .create)
    for (path, data) in parts {
      try archive.addEntry(
        with: path, type: .file, uncompressedSize: Int64(data.count),
        compressionMethod: .deflate
      ) { position, size in
        data.subdata(in: Int(position)..<Int(position) + size)
      }
    }
    return archive.data ?? Data()
  }

  /// A workbook with the given sheets (name and `<sheetData>` inner XML), optional shared
  /// strings (`<si>` inner XML each), optional `<numFmts>`/`<cellXfs>` XML for styles, and the
  /// 1904 date system when asked.
  public static func workbook(
    sheets: [(name: String, rows: String)], sharedStrings: [String]? = nil,
    styles: String? = nil, date1904: Bool = false
  ) throws -> Data {
    let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    let rns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    let pns = "http://schemas.openxmlformats.org/package/2006/relationships"
    var parts: [(String, Data)] = []
    func add(_ path: String, _ text: String) { parts.append((path, Data(text.utf8))) }
    add(
      "[Content_Types].xml",
      """
      <?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>
      """)
    add(
      "_rels/.rels",
      """
      <?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="\(pns)"><Relationship Id="rId1" Type="\(rns)/officeDocument" Target="xl/workbook.xml"/></Relationships>
      """)
    var sheetList = ""
    var rels = ""
    for (i, s) in sheets.enumerated() {
      sheetList += "<sheet name=\"\(escape(s.name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
      rels +=
        "<Relationship Id=\"rId\(i + 1)\" Type=\"\(rns)/worksheet\" "
        + "Target=\"worksheets/sheet\(i + 1).xml\"/>"
      add(
        "xl/worksheets/sheet\(i + 1).xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"\(ns)\"><sheetData>\(s.rows)</sheetData></worksheet>"
      )
    }
    let n = sheets.count
    if let sharedStrings {
      rels +=
        "<Relationship Id=\"rId\(n + 1)\" Type=\"\(rns)/sharedStrings\" "
        + "Target=\"sharedStrings.xml\"/>"
      add(
        "xl/sharedStrings.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"\(ns)\">"
          + sharedStrings.map { "<si>\($0)</si>" }.joined() + "</sst>")
    }
    if let styles {
      rels += "<Relationship Id=\"rId\(n + 2)\" Type=\"\(rns)/styles\" Target=\"styles.xml\"/>"
      add(
        "xl/styles.xml",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><styleSheet xmlns=\"\(ns)\">\(styles)</styleSheet>"
      )
    }
    add(
      "xl/workbook.xml",
      """
      <?xml version="1.0" encoding="UTF-8"?><workbook xmlns="\(ns)" xmlns:r="\(rns)"><workbookPr\(date1904 ? " date1904=\"1\"" : "")/><sheets>\(sheetList)</sheets></workbook>
      """)
    add(
      "xl/_rels/workbook.xml.rels",
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"\(pns)\">\(rels)</Relationships>"
    )
    return try zip(parts)
  }

  /// A row of inline-string cells from A on (empty strings leave their cell out).
  public static func textRow(_ number: Int, _ values: [String]) -> String {
    var s = "<row r=\"\(number)\">"
    for (i, v) in values.enumerated() where !v.isEmpty {
      s += "<c r=\"\(columnName(i))\(number)\" t=\"inlineStr\"><is><t>\(escape(v))</t></is></c>"
    }
    return s + "</row>"
  }

  /// `0` → `A`, `26` → `AA`.
  public static func columnName(_ c: Int) -> String {
    var n = c + 1
    var s = ""
    while n > 0 {
      let r = (n - 1) % 26
      s = String(UnicodeScalar(UInt8(65 + r))) + s
      n = (n - 1) / 26
    }
    return s
  }

  public static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for ch in s.unicodeScalars {
      switch ch {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default: out.unicodeScalars.append(ch)
      }
    }
    return out
  }
}

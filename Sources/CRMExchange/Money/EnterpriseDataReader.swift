import CRMCore
import Foundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A problem reading an EnterpriseData message: the line (1-based) XMLParser reports, and what is
/// wrong in both languages.
public typealias EnterpriseDataError = LineMessage

/// Reads acts back from an EnterpriseData message — ours or one exported from 1C — for
/// reconciliation and tests.
public enum EnterpriseDataReader {
  /// What reconciliation compares of one Документ.РеализацияТоваровУслуг.
  public struct ReadAct: Equatable, Sendable {
    public var number: String
    /// `yyyy-MM-dd`.
    public var date: String
    public var counterpartyINN: String
    public var counterpartyKPP: String
    public var counterpartyName: String
    public var contractNumber: String?
    /// The document's Сумма in minor units; when it is missing, the lines' sums (plus their VAT
    /// when the sums exclude it).
    public var total: Int64
    /// The VAT of all lines (Товары and Услуги), minor units.
    public var vat: Int64
    /// ISO 4217 letters (from the numeric Код; the numeric code itself when unknown).
    public var currencyCode: String

    public init(
      number: String, date: String, counterpartyINN: String, counterpartyKPP: String,
      counterpartyName: String, contractNumber: String?, total: Int64, vat: Int64,
      currencyCode: String
    ) {
      self.number = number
      self.date = date
      self.counterpartyINN = counterpartyINN
      self.counterpartyKPP = counterpartyKPP
      self.counterpartyName = counterpartyName
      self.contractNumber = contractNumber
      self.total = total
      self.vat = vat
      self.currencyCode = currencyCode
    }
  }

  /// Every Документ.РеализацияТоваровУслуг of the message, in file order, whatever the format
  /// version (elements are matched by local name, Валюта with or without ДанныеКлассификатора).
  /// Malformed XML, a file without Body, or an amount that is not a number is an error naming its
  /// line.
  public static func read(_ data: Data) throws(EnterpriseDataError) -> [ReadAct] {
    // EnterpriseData is UTF-8. Bytes that are not reach XMLParser's callbacks as names it
    // cannot decode, and swift-corelibs-foundation traps on them (found by fuzzing: `<\xFF\xFF`).
    if let bad = invalidUTF8Line(data) {
      throw EnterpriseDataError(
        line: bad, en: "the file is not UTF-8 text (EnterpriseData files are UTF-8)",
        ru: "файл — не текст в UTF-8 (файлы EnterpriseData всегда в UTF-8)")
    }
    // A processing instruction without data (`<?x?>`) reaches swift-corelibs-foundation as a
    // NULL it passes to strlen: a crash, not an error (found by fuzzing). 1C never writes one.
    if let line = emptyProcessingInstructionLine(data) {
      throw EnterpriseDataError(
        line: line, en: "a processing instruction without data (<?…?>) is not EnterpriseData",
        ru: "инструкция обработки без данных (<?…?>) — это не EnterpriseData")
    }
    let parser = XMLParser(data: data)
    let collector = Collector()
    parser.delegate = collector
    parser.shouldProcessNamespaces = false
    parser.shouldResolveExternalEntities = false
    let ok = parser.parse()
    if let e = collector.failure { throw e }
    if !ok {
      let code = (parser.parserError as NSError?)?.code ?? 0
      throw malformed(code: code, line: parser.lineNumber, column: parser.columnNumber)
    }
    guard collector.sawBody else {
      throw EnterpriseDataError(
        line: max(1, parser.lineNumber),
        en: "not an EnterpriseData message: there is no Body element",
        ru: "это не сообщение EnterpriseData: нет элемента Body")
    }
    var acts: [ReadAct] = []
    for raw in collector.documents { acts.append(try raw.act()) }
    return acts
  }

  static func malformed(code: Int, line: Int, column: Int) -> EnterpriseDataError {
    let (en, ru): (String, String)
    switch code {
    case 4:
      (en, ru) = ("the file is empty", "файл пуст")
    case 5:
      (en, ru) = ("the file ends before the XML is complete", "файл обрывается до конца XML")
    case 9:
      (en, ru) = ("a character not allowed in XML", "недопустимый в XML символ")
    case 23, 26:
      (en, ru) = ("an unknown entity (a bare «&»?)", "неизвестная сущность (одиночный «&»?)")
    case 38:
      (en, ru) = ("«<» inside an attribute value", "«<» внутри значения атрибута")
    case 73, 76:
      (en, ru) = (
        "a closing tag does not match the opening one",
        "закрывающий тег не совпадает с открывающим"
      )
    case 85:
      (en, ru) = ("elements are not properly nested", "элементы вложены неправильно")
    default:
      (en, ru) = ("malformed XML", "ошибка в XML")
    }
    return EnterpriseDataError(
      line: max(1, line), en: "\(en) (column \(column), XMLParser error \(code))",
      ru: "\(ru) (позиция \(column), ошибка XMLParser \(code))")
  }

  /// One document's raw values with the lines they came from.
  struct RawAct {
    var line: Int
    var number = ""
    var date = ""
    var inn = ""
    var kpp = ""
    var name = ""
    var contractNumber: String?
    var currency = ""
    var total: (text: String, line: Int)?
    var includesVAT = true
    var lineSums: [(text: String, line: Int)] = []
    var lineVAT: [(text: String, line: Int)] = []

    func act() throws(EnterpriseDataError) -> ReadAct {
      let letters = ISOCurrencyNumbers.letters(currency) ?? (currency.isEmpty ? "RUB" : currency)
      let digits = EnterpriseDataFormat.minorDigits(letters)
      var vat: Int64 = 0
      for v in lineVAT { vat += try amount(v.text, digits, v.line, "СуммаНДС") }
      let totalMinor: Int64
      if let t = total {
        totalMinor = try amount(t.text, digits, t.line, "Сумма")
      } else {
        var sum: Int64 = 0
        for s in lineSums { sum += try amount(s.text, digits, s.line, "Сумма") }
        totalMinor = includesVAT ? sum : sum + vat
      }
      let day = date.split(separator: "T", maxSplits: 1).first.map(String.init) ?? date
      return ReadAct(
        number: number, date: day, counterpartyINN: inn, counterpartyKPP: kpp,
        counterpartyName: name, contractNumber: contractNumber, total: totalMinor, vat: vat,
        currencyCode: letters)
    }
  }

  /// `120000.00` → 12000000 with 2 digits; extra fraction digits are rounded half away from
  /// zero; a comma is accepted as the decimal mark.
  static func amount(_ text: String, _ digits: Int, _ line: Int, _ field: String)
    throws(EnterpriseDataError) -> Int64
  {
    let fail = EnterpriseDataError(
      line: line, en: "«\(text)» in \(field) is not an amount",
      ru: "«\(text)» в \(field) — не сумма")
    var s = Substring(text.replacingOccurrences(of: ",", with: "."))
    var negative = false
    if s.hasPrefix("-") {
      negative = true
      s = s.dropFirst()
    }
    let parts = s.split(separator: ".", omittingEmptySubsequences: false)
    guard !s.isEmpty, parts.count <= 2, !parts[0].isEmpty || parts.count == 2,
      parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
      parts[0].count <= 15
    else { throw fail }
    var fraction = parts.count == 2 ? String(parts[1]) : ""
    var roundUp = false
    if fraction.count > digits {
      roundUp = fraction[fraction.index(fraction.startIndex, offsetBy: digits)] >= "5"
      fraction = String(fraction.prefix(digits))
    }
    fraction += String(repeating: "0", count: digits - fraction.count)
    var scale: Int64 = 1
    for _ in 0..<digits { scale *= 10 }
    let whole = parts[0].isEmpty ? 0 : Int64(parts[0])!
    var minor = whole * scale + (fraction.isEmpty ? 0 : Int64(fraction)!)
    if roundUp { minor += 1 }
    return negative ? -minor : minor
  }

  /// Walks the elements by local name and collects the fields of each document.
  final class Collector: NSObject, XMLParserDelegate {
    var documents: [RawAct] = []
    var sawBody = false
    var failure: EnterpriseDataError?

    private var stack: [String] = []
    private var text = ""
    private var current: RawAct?
    private var documentDepth = 0
    private var startLine = 0

    private static func local(_ name: String) -> String {
      guard let colon = name.lastIndex(of: ":") else { return name }
      return String(name[name.index(after: colon)...])
    }

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
      let name = Self.local(elementName)
      stack.append(name)
      text = ""
      startLine = parser.lineNumber
      if name == "Body" { sawBody = true }
      if current == nil && name == "Документ.РеализацияТоваровУслуг" {
        current = RawAct(line: parser.lineNumber)
        documentDepth = stack.count
      }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, foundCDATA cdataBlock: Data) {
      text += String(decoding: cdataBlock, as: UTF8.self)
    }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?
    ) {
      defer {
        stack.removeLast()
        text = ""
      }
      guard var doc = current else { return }
      if stack.count == documentDepth {
        documents.append(doc)
        current = nil
        return
      }
      let path = Array(stack[documentDepth...])
      let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
      let line = startLine
      switch path.count {
      case 1:
        if path[0] == "Сумма" { doc.total = (value, line) }
        if path[0] == "СуммаВключаетНДС" { doc.includesVAT = value.lowercased() != "false" }
      case 2:
        switch (path[0], path[1]) {
        case ("КлючевыеСвойства", "Номер"): doc.number = value
        case ("КлючевыеСвойства", "Дата"): doc.date = value
        case ("Контрагент", "ИНН"): doc.inn = value
        case ("Контрагент", "КПП"): doc.kpp = value
        case ("Контрагент", "Наименование"): doc.name = value
        case ("Валюта", "Код"): doc.currency = value
        default: break
        }
      case 3:
        if path == ["ДанныеВзаиморасчетов", "Договор", "Номер"] { doc.contractNumber = value }
        if path == ["Валюта", "ДанныеКлассификатора", "Код"] { doc.currency = value }
        if (path[0] == "Товары" || path[0] == "Услуги") && path[1] == "Строка" {
          if path[2] == "Сумма" { doc.lineSums.append((value, line)) }
          if path[2] == "СуммаНДС" { doc.lineVAT.append((value, line)) }
        }
      default: break
      }
      current = doc
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
      guard failure == nil else { return }
      failure = EnterpriseDataReader.malformed(
        code: (parseError as NSError).code, line: parser.lineNumber,
        column: parser.columnNumber)
    }
  }

  /// The line of the first byte that is not valid UTF-8 (or a NUL), nil when all is well.
  /// The line of the first `<?name?>` — a processing instruction whose name is followed at
  /// once by `?>` — or nil. (With a space before `?>` the data is empty, not missing.)
  static func emptyProcessingInstructionLine(_ data: Data) -> Int? {
    let bytes = [UInt8](data)
    var line = 1
    var i = 0
    while i + 1 < bytes.count {
      if bytes[i] == 0x0A { line += 1 }
      if bytes[i] == 0x3C && bytes[i + 1] == 0x3F {  // "<?"
        var j = i + 2
        while j < bytes.count, !" \t\r\n?".utf8.contains(bytes[j]) { j += 1 }
        if j > i + 2, j + 1 < bytes.count, bytes[j] == 0x3F, bytes[j + 1] == 0x3E { return line }
        i = j
        continue
      }
      i += 1
    }
    return nil
  }

  static func invalidUTF8Line(_ data: Data) -> Int? {
    let valid = data.withUnsafeBytes { raw in
      let b = raw.bindMemory(to: UInt8.self)
      return isValidUTF8(b) && !b.contains(0)
    }
    if valid { return nil }
    var line = 1
    var start = data.startIndex
    for (i, byte) in zip(data.indices, data) where byte == 0x0A || byte == 0 {
      if byte == 0 { break }
      let chunk = data[start..<i]
      if String(bytes: chunk, encoding: .utf8) == nil { return line }
      line += 1
      start = i + 1
    }
    return line
  }
}

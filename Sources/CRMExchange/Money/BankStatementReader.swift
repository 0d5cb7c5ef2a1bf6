import CRMCore
import Foundation

/// Reads `1CClientBankExchange` statement files.
///
/// **Encoding.** A UTF-8 byte order mark means UTF-8 (the mark is skipped). Otherwise the bytes
/// decide, line by line: the first line holding a byte ≥ 0x80 settles the encoding. If that line
/// is valid UTF-8 the file is UTF-8; if not, it is decoded as Windows-1251 and as CP866 and the
/// one that yields a key of the format (`ВерсияФормата`, `Кодировка`, …) wins; when neither or
/// both do, the header's `Кодировка=` decides (`Windows` → CP1251, `DOS` → CP866), and
/// Windows-1251 when there is no such line. A single-byte encoding that contradicts the header
/// gives a warning (a UTF-8 file whose header says `Windows` is common and gives none). After the
/// choice, a line that does not decode (invalid UTF-8) is an error naming the line.
///
/// **Syntax.** Lines end in CRLF, LF or a lone CR, mixed freely; blank lines are ignored. A line
/// is `key=value`, split at the first `=`; keys and values are trimmed of spaces and tabs, values
/// may be empty. Line 1 must be `1CClientBankExchange`. A line without `=` that is not one of
/// СекцияРасчСчет, КонецРасчСчет, КонецДокумента, КонецФайла is a warning and is ignored; so is
/// a key outside any section after the header, a stray КонецРасчСчет and anything after
/// КонецФайла. Unknown keys are kept in `fields`, never fatal. A key repeated within a section
/// (the header's РасчСчет and Документ excepted): the last value wins, with a warning.
///
/// **Errors** (`BankStatementError`, naming the line and key): an empty file (line 0); a first
/// line other than `1CClientBankExchange`; a document or account section that is not closed
/// before the next section, КонецФайла or the end of the file (the error names the line where
/// the unclosed section starts); a КонецДокумента with no document open; no КонецФайла (the
/// last line); a document without Номер, Дата or Сумма or with one of them empty; an amount that
/// is not a positive number of roubles with at most 2 decimals (`.` as in the format, also `,`
/// and spaces or no-break spaces between digit groups: `120 000,00`); a date that is not
/// `dd.MM.yyyy` or is an impossible day (Дата, ДатаСписано, ДатаПоступило, the header's and
/// the sections' ДатаНачала/ДатаКонца, ДатаСоздания; an empty optional date is nil); an account
/// section without РасчСчет; a line longer than `maxLineLength`. A file with an error yields no
/// statement at all: callers import all or nothing.
public enum BankStatementReader {
  /// Bytes read from the file at a time by `stream`.
  public static let chunkSize = 64 * 1024
  /// A longer line is refused: this is not a statement, and memory stays bounded.
  public static let maxLineLength = 1 << 20
  /// Warnings kept; beyond these, one more warning counts the rest.
  public static let maxWarnings = 1000

  /// Parses a whole statement held in memory.
  public static func parse(_ data: Data) throws(BankStatementError) -> BankStatement {
    var documents: [BankDocument] = []
    var failure: BankStatementError?
    var parser = BankParser(hint: nil)
    data.withUnsafeBytes { raw in
      let bytes = raw.bindMemory(to: UInt8.self)
      parser = BankParser(
        hint: headerEncoding(UnsafeBufferPointer(rebasing: bytes.prefix(chunkSize))))
      var splitter = LineSplitter()
      func handle(_ line: UnsafeBufferPointer<UInt8>, _ n: Int) throws(BankStatementError) {
        if try parser.line(line, n) == .document { documents.append(parser.takeDocument()) }
      }
      do throws(BankStatementError) {
        try splitter.feed(bytes, handle)
        try splitter.finish(handle)
        try parser.finish(lastLine: splitter.lineNumber)
      } catch {
        failure = error
      }
    }
    if let failure { throw failure }
    let summary = parser.summary
    return BankStatement(
      encoding: summary.encoding, header: summary.header, sections: summary.sections,
      documents: documents, warnings: summary.warnings)
  }

  /// Reads and parses a whole file; an unreadable file is an error on line 0.
  public static func read(contentsOf url: URL) throws(BankStatementError) -> BankStatement {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw unreadable(url, error)
    }
    return try parse(data)
  }

  /// Streams a file of any size with bounded memory: reads chunks of `chunkSize` bytes through
  /// FileHandle (never the whole file) and holds at most one document besides the chunk.
  /// Calls `header` once, when the first СекцияРасчСчет or СекцияДокумент starts (or at
  /// КонецФайла when there is neither), and `document` for each complete, validated document;
  /// returns the sections, warnings, encoding, header and the number of documents.
  ///
  /// The file is validated as it goes: an error late in the file is thrown after earlier
  /// documents went to `document`, so a caller that must import all or nothing keeps them in a
  /// transaction until this returns. A `BankStatementError` is the file's fault; an error thrown
  /// by a callback stops the reading and is rethrown as is.
  public static func stream(
    contentsOf url: URL, header: (BankStatementHeader) throws -> Void,
    document: (BankDocument) throws -> Void
  ) throws -> BankStatementSummary {
    let file: FileHandle
    do {
      file = try FileHandle(forReadingFrom: url)
    } catch {
      throw unreadable(url, error)
    }
    defer { try? file.close() }
    func next() throws(BankStatementError) -> Data {
      do {
        return try file.read(upToCount: chunkSize) ?? Data()
      } catch {
        throw unreadable(url, error)
      }
    }
    var chunk = try next()
    var parser = BankParser(
      hint: chunk.withUnsafeBytes { headerEncoding($0.bindMemory(to: UInt8.self)) })
    var splitter = LineSplitter()
    func handle(_ line: UnsafeBufferPointer<UInt8>, _ n: Int) throws {
      switch try parser.line(line, n) {
      case .header: try header(parser.header)
      case .document: try document(parser.takeDocument())
      case nil: break
      }
    }
    while !chunk.isEmpty {
      try chunk.withUnsafeBytes { try splitter.feed($0.bindMemory(to: UInt8.self), handle) }
      if splitter.carry.count > maxLineLength {
        throw BankParser.tooLong(splitter.lineNumber + 1)
      }
      chunk = try next()
    }
    try splitter.finish(handle)
    try parser.finish(lastLine: splitter.lineNumber)
    return parser.summary
  }

  private static func unreadable(_ url: URL, _ error: any Error) -> BankStatementError {
    let reason = (error as NSError).localizedDescription
    return BankStatementError(
      line: 0, en: "cannot read \(url.path): \(reason)",
      ru: "не удаётся прочитать \(url.path): \(reason)")
  }

  /// The encoding the header's `Кодировка=` names, looked for in the first bytes of the file
  /// (the key itself may be in any of the three encodings).
  static func headerEncoding(_ b: UnsafeBufferPointer<UInt8>) -> BankEncoding? {
    var splitter = LineSplitter()
    var found: BankEncoding?
    splitter.feed(b) { (line: UnsafeBufferPointer<UInt8>, _: Int) in
      guard found == nil, let eq = equalsSign(line) else { return }
      let key = trimmed(UnsafeBufferPointer(rebasing: line[..<eq]))
      guard BankKeys.encodingKeyBytes.contains(where: { $0.elementsEqual(key) }) else { return }
      let value = trimmed(UnsafeBufferPointer(rebasing: line[(eq + 1)...]))
      found = BankEncoding(headerName: String(decoding: value, as: UTF8.self))
    }
    return found
  }
}

/// What a line completed: the header (in `BankParser.header`) or a document (taken with
/// `takeDocument`). No payload, so the result of every line stays small.
enum BankEvent {
  case header
  case document
}

/// The state machine behind `BankStatementReader`: fed one line at a time, it reports the header
/// when the first section starts and each document when it closes. Holds one section at a time.
struct BankParser {
  enum State { case start, startBlank, header, account, document, body, ended }

  private var state = State.start
  private let hint: BankEncoding?
  private var decoder: LineDecoder? {
    didSet {
      markers =
        decoder.map { d in Marker.allCases.map { CodePage.encode($0.rawValue, d.encoding) } } ?? []
    }
  }
  /// The markers in the chosen encoding, compared as bytes (comparing Cyrillic Strings normalizes
  /// them, which is slow).
  private var markers: [[UInt8]] = []
  private var decidedOn = 0
  private var keys = KeyTable()
  private var warnings: [BankStatementWarning] = []
  private var droppedWarnings = 0
  private var lastLine = 0
  private(set) var header = BankStatementHeader()
  private var completed: BankDocument?
  private var sections: [BankAccountSection] = []
  private var documentCount = 0
  private var warnedAfterEnd = false
  /// Where the first document starts, and whether any document carries a bank's date: a file of
  /// documents with neither an account section nor such a date is 1C's payment orders for the
  /// bank (`1c_to_kl`), not a statement.
  private var firstDocumentLine: Int?
  private var documentHasBankDate = false

  // The open block (the header, an account section or a document).
  private var blockLine = 0
  private var kind = ""
  private var fields: [BankField] = []
  private var slots = [Int](repeating: -1, count: DocumentKey.allCases.count)
  private var serial = 0
  private var seenSerial = [Int](repeating: -1, count: KeyTable.capacity)
  private var seenLine = [Int](repeating: 0, count: KeyTable.capacity)

  init(hint: BankEncoding?) {
    self.hint = hint
  }

  var summary: BankStatementSummary {
    var all = warnings
    if droppedWarnings > 0 {
      all.append(
        BankStatementWarning(
          line: lastLine, en: "\(droppedWarnings) more warnings are not shown",
          ru: "ещё предупреждений: \(droppedWarnings), они не показаны"))
    }
    let sorted = all.enumerated().sorted {
      ($0.element.line, $0.offset) < ($1.element.line, $1.offset)
    }
    return BankStatementSummary(
      encoding: decoder?.encoding ?? hint ?? .cp1251, header: header, sections: sections,
      documentCount: documentCount, warnings: sorted.map(\.element))
  }

  mutating func line(_ raw: UnsafeBufferPointer<UInt8>, _ n: Int) throws(BankStatementError)
    -> BankEvent?
  {
    lastLine = n
    if raw.count > BankStatementReader.maxLineLength { throw Self.tooLong(n) }
    switch state {
    case .start, .startBlank:
      try first(raw, n)
      return nil
    case .ended:
      if !warnedAfterEnd && !trimmed(raw).isEmpty {
        warnedAfterEnd = true
        warn(
          n, "text after КонецФайла is ignored",
          "текст после КонецФайла пропущен")
      }
      return nil
    default:
      break
    }
    let b = trimmed(raw)
    if b.isEmpty { return nil }
    if decoder == nil && hasHighByte(b) { decide(b, n) }
    let decoder = self.decoder ?? LineDecoder(.utf8)  // the line is ASCII: any decoder reads it
    guard let eq = equalsSign(b) else {
      if let m = markers.firstIndex(where: { $0.elementsEqual(b) }) {
        return try marker(Marker.allCases[m], n)
      }
      guard let text = decoder.decode(b) else { throw undecodable(n) }
      if text == BankKeys.documentStart, let (id, info) = keys.lookup(b, decoder) {
        // `СекцияДокумент` with no kind, as some programs write payment orders for the bank.
        return try field(id, info, "", n)
      }
      warn(
        n, "«\(text)» is neither key=value nor a section marker; ignored",
        "«\(text)» — не «ключ=значение» и не граница секции; пропущено")
      return nil
    }
    let keyBytes = trimmed(UnsafeBufferPointer(rebasing: b[..<eq]))
    guard let (id, info) = keys.lookup(keyBytes, decoder),
      let value = decoder.decode(trimmed(UnsafeBufferPointer(rebasing: b[(eq + 1)...])))
    else { throw undecodable(n) }
    return try field(id, info, value, n)
  }

  /// The document the last `.document` event closed.
  mutating func takeDocument() -> BankDocument {
    defer { completed = nil }
    return completed!
  }

  mutating func finish(lastLine n: Int) throws(BankStatementError) {
    // Said first: a file of 1C's payment orders is the wrong file, whatever else is wrong.
    if state == .body || state == .ended, let first = firstDocumentLine, sections.isEmpty,
      !documentHasBankDate
    {
      throw BankStatementError(
        line: first, key: BankKeys.documentStart,
        en: "this is a payment-order file (from 1C to the bank), not a statement: it has no "
          + "account section (СекцияРасчСчет) and no document has ДатаСписано or ДатаПоступило; "
          + "load the statement the bank sends back (kl_to_1c.txt)",
        ru: "это файл платёжных поручений (из 1С в банк), а не выписка: в нём нет секции счёта "
          + "(СекцияРасчСчет) и ни у одного документа нет ДатаСписано или ДатаПоступило; "
          + "загрузите выписку, которую присылает банк (kl_to_1c.txt)")
    }
    switch state {
    case .start, .startBlank:
      throw BankStatementError(line: 0, en: "the file is empty", ru: "файл пуст")
    case .header, .body:
      throw BankStatementError(
        line: n, en: "the file ends without КонецФайла (is it cut short?)",
        ru: "файл кончается без КонецФайла (он обрезан?)")
    case .account, .document:
      throw unclosed("the file ends on line \(n)", "файл кончается на строке \(n)")
    case .ended:
      return
    }
  }

  // MARK: lines

  private mutating func first(_ raw: UnsafeBufferPointer<UInt8>, _ n: Int)
    throws(BankStatementError)
  {
    var b = raw
    if state == .start, b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF {
      b = UnsafeBufferPointer(rebasing: b[3...])
      decoder = LineDecoder(.utf8)
      decidedOn = 1
    }
    b = trimmed(b)
    if b.isEmpty {
      state = .startBlank
      return
    }
    guard n == 1, b.elementsEqual(BankKeys.signature.utf8) else {
      throw BankStatementError(
        line: 1,
        en: "not a 1C bank statement: the first line must be 1CClientBankExchange",
        ru: "это не выписка 1С: первая строка должна быть 1CClientBankExchange")
    }
    state = .header
    open(line: 1)
  }

  /// Settles the encoding on the first line with a byte ≥ 0x80.
  private mutating func decide(_ b: UnsafeBufferPointer<UInt8>, _ n: Int) {
    decidedOn = n
    if isValidUTF8(b) {
      decoder = LineDecoder(.utf8)
      return
    }
    func knownKey(_ e: BankEncoding) -> Bool {
      let key = equalsSign(b).map { trimmed(UnsafeBufferPointer(rebasing: b[..<$0])) } ?? b
      return LineDecoder(e).decode(key).map { BankKeys.known.contains($0) } ?? false
    }
    let windows = knownKey(.cp1251)
    let dos = knownKey(.cp866)
    let choice: BankEncoding =
      windows != dos ? (windows ? .cp1251 : .cp866) : (hint == .cp866 ? .cp866 : .cp1251)
    decoder = LineDecoder(choice)
  }

  private mutating func marker(_ m: Marker, _ n: Int) throws(BankStatementError) -> BankEvent? {
    switch m {
    case .accountStart:
      switch state {
      case .account, .document:
        throw unclosed("line \(n) starts an account section", "строка \(n) начинает секцию счёта")
      case .header:
        try closeHeader()
        open(line: n)
        state = .account
        return .header
      default:
        open(line: n)
        state = .account
        return nil
      }
    case .accountEnd:
      switch state {
      case .account:
        try closeAccount()
        state = .body
      case .document:
        throw unclosed("line \(n) is КонецРасчСчет", "строка \(n) — КонецРасчСчет")
      default:
        warn(
          n, "КонецРасчСчет without СекцияРасчСчет is ignored",
          "КонецРасчСчет без СекцияРасчСчет пропущен")
      }
      return nil
    case .documentEnd:
      switch state {
      case .document:
        completed = try closeDocument()
        state = .body
        return .document
      case .account:
        throw unclosed("line \(n) is КонецДокумента", "строка \(n) — КонецДокумента")
      default:
        throw BankStatementError(
          line: n, key: Marker.documentEnd.rawValue,
          en: "КонецДокумента without СекцияДокумент: is the start of the document damaged?",
          ru: "КонецДокумента без СекцияДокумент: повреждено начало документа?")
      }
    case .fileEnd:
      switch state {
      case .account, .document:
        throw unclosed("line \(n) is КонецФайла", "строка \(n) — КонецФайла")
      case .header:
        try closeHeader()
        state = .ended
        return .header
      default:
        state = .ended
        return nil
      }
    }
  }

  private mutating func field(_ id: Int, _ info: KeyInfo, _ value: String, _ n: Int)
    throws(BankStatementError) -> BankEvent?
  {
    if info.startsDocument {
      var event: BankEvent?
      switch state {
      case .account, .document:
        throw unclosed("line \(n) starts another document", "строка \(n) начинает другой документ")
      case .header:
        try closeHeader()
        event = .header
      default:
        break
      }
      open(line: n)
      kind = value
      state = .document
      return event
    }
    if state == .body {
      warn(
        n, "\(info.name)= outside any section is ignored",
        "\(info.name)= вне секций пропущено")
      return nil
    }
    let repeatable = state == .header && (info.header == .account || info.header == .documentKind)
    if !repeatable {
      var earlier: Int?
      if id >= 0 {
        if seenSerial[id] == serial { earlier = seenLine[id] }
        seenSerial[id] = serial
        seenLine[id] = n
      } else {
        earlier = fields.last { $0.key == info.name }?.line
      }
      if let earlier {
        warn(
          n, "\(info.name) repeats line \(earlier); the last value is used",
          "\(info.name) повторяет строку \(earlier); берётся последнее значение")
      }
    }
    if state == .document, let k = info.document { slots[k.rawValue] = fields.count }
    fields.append(BankField(key: info.name, value: value, line: n))
    return nil
  }

  // MARK: blocks

  private mutating func open(line: Int) {
    blockLine = line
    serial += 1
    fields = []
    fields.reserveCapacity(48)
    for i in slots.indices { slots[i] = -1 }
  }

  private mutating func closeHeader() throws(BankStatementError) {
    var h = BankStatementHeader()
    var encodingLine = 0
    for f in fields {
      switch HeaderKey.byName[f.key] {
      case .version: h.formatVersion = f.value
      case .encoding:
        h.encodingName = f.value
        encodingLine = f.line
      case .sender: h.sender = f.value
      case .receiver: h.receiver = f.value
      case .created: h.created = lenientDate(f)
      case .createdTime: h.createdTime = f.value
      case .from: h.from = lenientDate(f)
      case .to: h.to = lenientDate(f)
      case .account: if !f.value.isEmpty { h.accounts.append(f.value) }
      case .documentKind: if !f.value.isEmpty { h.documentKinds.append(f.value) }
      case nil: break
      }
    }
    h.fields = fields
    header = h
    let actual = decoder?.encoding ?? hint ?? .cp1251
    if let named = BankEncoding(headerName: h.encodingName), actual != .utf8, named != actual {
      let says = named == .cp866 ? "DOS (CP866)" : "Windows (Windows-1251)"
      let name = actual.displayName
      warn(
        encodingLine, "the header says \(says), the file is \(name); read as \(name)",
        "в заголовке указано \(says), а файл в кодировке \(name); прочитан как \(name)")
    }
  }

  /// A header or account-section field that does not read is a warning naming its line and key;
  /// the value is left out and the documents are still read (they are what the import needs).
  private mutating func lenient<T>(
    _ f: BankField, _ read: (BankField) throws(BankStatementError) -> T?
  ) -> T? {
    do {
      return try read(f)
    } catch {
      warn(
        f.line, "\(f.key): \(error.en); the field is ignored",
        "\(f.key): \(error.ru); поле пропущено")
      return nil
    }
  }

  private mutating func lenientDate(_ f: BankField) -> BankDate? {
    lenient(f) { (f) throws(BankStatementError) in try Self.date(f, required: false) }
  }

  private mutating func closeAccount() throws(BankStatementError) {
    var s = BankAccountSection(account: "", line: blockLine)
    var hasAccount = false
    for f in fields {
      switch SectionKey.byName[f.key] {
      case .account:
        s.account = f.value
        hasAccount = !f.value.isEmpty
      case .from: s.from = lenientDate(f)
      case .to: s.to = lenientDate(f)
      case .opening: s.opening = lenient(f, Self.balance)
      case .received: s.received = lenient(f, Self.balance)
      case .written: s.written = lenient(f, Self.balance)
      case .closing: s.closing = lenient(f, Self.balance)
      case nil: break
      }
    }
    guard hasAccount else {
      throw BankStatementError(
        line: blockLine, key: "РасчСчет", en: "the account section has no РасчСчет",
        ru: "в секции счёта нет РасчСчет")
    }
    sections.append(s)
  }

  private mutating func closeDocument() throws(BankStatementError) -> BankDocument {
    func slot(_ k: DocumentKey) -> BankField? {
      let i = slots[k.rawValue]
      return i >= 0 ? fields[i] : nil
    }
    func text(_ k: DocumentKey) -> String { slot(k)?.value ?? "" }
    func required(_ key: String, _ k: DocumentKey) throws(BankStatementError) -> BankField {
      guard let f = slot(k) else {
        throw BankStatementError(
          line: blockLine, key: key, en: "the document has no \(key)", ru: "в документе нет \(key)")
      }
      return f
    }
    let numberField = try required("Номер", .number)
    guard !numberField.value.isEmpty else {
      throw BankStatementError(
        line: numberField.line, key: "Номер", en: "the document number is empty",
        ru: "номер документа пуст")
    }
    let date = try Self.date(required("Дата", .date), required: true)!
    let amount = try Self.amount(required("Сумма", .amount))
    let written = try slot(.dateWritten).flatMap { (f) throws(BankStatementError) in
      try Self.date(f, required: false)
    }
    let received = try slot(.dateReceived).flatMap { (f) throws(BankStatementError) in
      try Self.date(f, required: false)
    }
    var purpose = text(.purpose)
    if purpose.isEmpty {
      let parts: [DocumentKey] = [.purpose1, .purpose2, .purpose3, .purpose4, .purpose5, .purpose6]
      purpose = parts.map(text).filter { !$0.isEmpty }.joined(separator: " ")
    }
    let d = BankDocument(
      line: blockLine, kind: kind, number: numberField.value, date: date, amount: amount,
      payerAccount: Self.either(text(.payerAccount), text(.payerSettlement)),
      payerName: Self.name(text(.payer1), text(.payer)),
      payerINN: text(.payerINN), payerKPP: text(.payerKPP), payerBIC: text(.payerBIC),
      payerBank: Self.joined(text(.payerBank1), text(.payerBank2)),
      payeeAccount: Self.either(text(.payeeAccount), text(.payeeSettlement)),
      payeeName: Self.name(text(.payee1), text(.payee)),
      payeeINN: text(.payeeINN), payeeKPP: text(.payeeKPP), payeeBIC: text(.payeeBIC),
      payeeBank: Self.joined(text(.payeeBank1), text(.payeeBank2)),
      dateWritten: written, dateReceived: received, purpose: purpose, fields: fields)
    fields = []
    documentCount += 1
    if firstDocumentLine == nil { firstDocumentLine = blockLine }
    if written != nil || received != nil { documentHasBankDate = true }
    return d
  }

  // MARK: problems

  private mutating func warn(_ line: Int, _ en: String, _ ru: String) {
    guard warnings.count < BankStatementReader.maxWarnings else {
      droppedWarnings += 1
      return
    }
    warnings.append(BankStatementWarning(line: line, en: en, ru: ru))
  }

  /// The open block is not closed; `en`/`ru` say what came instead.
  private func unclosed(_ en: String, _ ru: String) -> BankStatementError {
    if state == .document {
      return BankStatementError(
        line: blockLine, key: BankKeys.documentStart,
        en: "the document started on line \(blockLine) has no КонецДокумента; \(en)",
        ru: "документ, начатый в строке \(blockLine), не закрыт строкой КонецДокумента; \(ru)")
    }
    return BankStatementError(
      line: blockLine, key: Marker.accountStart.rawValue,
      en: "the account section started on line \(blockLine) has no КонецРасчСчет; \(en)",
      ru: "секция счёта, начатая в строке \(blockLine), не закрыта строкой КонецРасчСчет; \(ru)")
  }

  private func undecodable(_ n: Int) -> BankStatementError {
    let e = decoder?.encoding ?? .utf8
    if e == .utf8 {
      return BankStatementError(
        line: n,
        en: "the line is not valid UTF-8 (the file was taken as UTF-8 from line \(decidedOn))",
        ru: "строка не в UTF-8 (файл прочитан как UTF-8 по строке \(decidedOn))")
    }
    return BankStatementError(
      line: n, en: "the line has a byte that is not a \(e.displayName) character",
      ru: "в строке есть байт, которого нет в кодировке \(e.displayName)")
  }

  static func tooLong(_ n: Int) -> BankStatementError {
    let mib = BankStatementReader.maxLineLength >> 20
    return BankStatementError(
      line: n, en: "the line is longer than \(mib) MiB: this is not a bank statement",
      ru: "строка длиннее \(mib) МиБ: это не банковская выписка")
  }
}

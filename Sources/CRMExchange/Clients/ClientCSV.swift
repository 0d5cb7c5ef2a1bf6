import CRMCore
import Foundation

/// The client fields a CSV column can fill.
public enum ClientColumn: String, CaseIterable, Sendable {
  case name, kind
  case legalForm = "legal_form"
  case inn, kpp, ogrn, phone, email, website, city
  case legalAddress = "legal_address"
  case actualAddress = "actual_address"
  case postalAddress = "postal_address"
  case segment, owner, source, tags, contact, position
  case contactPhone = "contact_phone"
  case contactEmail = "contact_email"
  case birthday, notes
  case bik, account
  case corrAccount = "corr_account"
  case bank, skip

  /// Header names (folded: lower case, ё → е, only letters and digits, trailing digits
  /// dropped) that mean this field, Russian and English.
  static let synonyms: [ClientColumn: [String]] = [
    .name: [
      "название", "наименование", "компания", "клиент", "организация", "названиекомпании",
      "наименованиеклиента", "краткоенаименование", "контрагент", "name", "company",
      "companyname", "client", "clientname", "organization", "organisation", "account name",
    ],
    .kind: ["тип", "типклиента", "видклиента", "kind", "type", "clienttype"],
    .legalForm: ["опф", "формасобственности", "организационноправоваяформа", "legalform"],
    .inn: ["инн", "inn", "taxid", "tin"],
    .kpp: ["кпп", "kpp"],
    .ogrn: ["огрн", "огрнип", "ogrn"],
    .phone: [
      "телефон", "тел", "телефоны", "мобильный", "мобтел", "мобильныйтелефон", "рабочийтелефон",
      "сотовый", "phone", "phones", "mobile", "tel", "telephone", "workphone", "cell",
      "mobilephone",
    ],
    .email: [
      "email", "emails", "емейл", "емэйл", "электроннаяпочта", "почта", "элпочта", "mail",
      "emailaddress",
    ],
    .website: ["сайт", "вебсайт", "website", "web", "url", "site", "www", "homepage"],
    .city: ["город", "населенныйпункт", "city", "town"],
    .legalAddress: ["адрес", "юридическийадрес", "юрадрес", "address", "legaladdress"],
    .actualAddress: ["фактическийадрес", "фактадрес", "actualaddress"],
    .postalAddress: ["почтовыйадрес", "postaladdress", "mailingaddress"],
    .segment: ["сегмент", "segment"],
    .owner: ["ответственный", "менеджер", "owner", "manager", "responsible", "accountowner"],
    .source: ["источник", "источниклида", "source", "leadsource"],
    .tags: ["теги", "метки", "тег", "метка", "tags", "tag", "labels"],
    .contact: [
      "контактноелицо", "фио", "контакт", "контактнеелицо", "contact", "contactperson",
      "contactname", "fullname",
    ],
    .position: ["должность", "position", "title", "jobtitle"],
    .contactPhone: ["телефонконтакта", "телефонконтактноголица", "contactphone"],
    .contactEmail: ["emailконтакта", "почтаконтакта", "contactemail"],
    .birthday: ["деньрождения", "датарождения", "birthday", "dateofbirth"],
    .notes: [
      "комментарий", "примечание", "заметки", "примечания", "notes", "comment", "comments", "note",
    ],
    .bik: ["бик", "bik"],
    .account: ["расчетныйсчет", "рс", "account", "settlementaccount"],
    .corrAccount: ["корсчет", "кс", "корреспондентскийсчет", "corraccount"],
    .bank: ["банк", "bank", "bankname"],
  ]

  static let byFolded: [String: ClientColumn] = {
    var out: [String: ClientColumn] = [:]
    for (column, names) in synonyms {
      for n in names { out[fold(n)] = column }
    }
    return out
  }()

  /// A header name folded for matching: lower case, ё → е, only letters and digits, trailing
  /// digits dropped (`Телефон 2` is a phone column).
  static func fold(_ s: String) -> String {
    var out = String(
      TextFold.key(s).unicodeScalars.filter {
        $0.properties.isAlphabetic || ("0"..."9").contains($0)
      }.map(Character.init))
    while let last = out.last, last.isASCII, last.isNumber, out.count > 1 { out.removeLast() }
    return out
  }

  /// The field a header name means, by synonym; nil when unknown.
  public static func matching(_ header: String) -> ClientColumn? {
    byFolded[fold(header)] ?? ClientColumn(rawValue: header.trimmingSpaces().lowercased())
  }
}

/// Options of the CSV reader; nil means "detect".
public struct ClientCSVOptions: Sendable {
  public var encoding: BankEncoding?
  public var delimiter: UInt8?
  /// Column name → field key (`ClientColumn` raw value), overriding the synonyms.
  public var map: [String: String]
  public var language: Language

  public init(
    encoding: BankEncoding? = nil, delimiter: UInt8? = nil, map: [String: String] = [:],
    language: Language = .ru
  ) {
    self.encoding = encoding
    self.delimiter = delimiter
    self.map = map
    self.language = language
  }

  /// Parses `--map "Колонка=field,Other=field"`.
  public static func parseMap(_ text: String) throws(ImportFileError) -> [String: String] {
    var out: [String: String] = [:]
    for part in text.split(separator: ",") {
      let pair = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces() }
      guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else {
        throw ImportFileError(
          line: 0, en: "--map: «\(part)» is not Column=field",
          ru: "--map: «\(part)» — не в виде Колонка=поле")
      }
      guard ClientColumn(rawValue: pair[1]) != nil else {
        let known = ClientColumn.allCases.map(\.rawValue).joined(separator: ", ")
        throw ImportFileError(
          line: 0, en: "--map: unknown field «\(pair[1])»; known: \(known)",
          ru: "--map: неизвестное поле «\(pair[1])»; допустимые: \(known)")
      }
      out[pair[0]] = pair[1]
    }
    return out
  }
}

/// Reads clients from CSV as it streams (64 KiB at a time; memory stays bounded by the longest
/// record, at most `maxRecordBytes`).
///
/// **Bytes.** A UTF-8 BOM is skipped and means UTF-8. Otherwise, unless `--encoding` says,
/// the first chunk decides: valid UTF-8 → UTF-8, otherwise Windows-1251; a file whose first
/// chunk is plain ASCII is settled by the first field with a byte ≥ 0x80. A field that does not
/// decode in the chosen encoding rejects its row (naming the line). **Syntax** (RFC 4180 and
/// what Excel and 1C write): the delimiter is `;`, `,`, tab or `|`, whichever occurs most in
/// the header line outside quotes (`;` wins ties, `,` when there is none); fields may be
/// quoted with `"`, doubled quotes inside, delimiters and line breaks inside quotes; records end
/// in CRLF, LF or CR, mixed freely; blank lines are skipped. A quote that is never closed is a
/// file error naming the line where its field began. A record with a different number of fields
/// than the header is rejected with its line (trailing empty fields are tolerated).
public final class ClientCSVReader {
  public static let chunkSize = 64 * 1024
  /// A longer record (most likely a quote never closed in a huge file) stops the reading.
  public static let maxRecordBytes = 1 << 20

  public private(set) var encoding: BankEncoding?
  public private(set) var delimiter: UInt8 = UInt8(ascii: ",")
  /// The header as read, and the field each column fills (nil: ignored).
  public private(set) var header: [String] = []
  public private(set) var columns: [ClientColumn?] = []
  /// Unknown columns and other things worth telling, in file order.
  public private(set) var warnings: [ImportIssue] = []
  public private(set) var bytesRead: Int64 = 0
  public let totalBytes: Int64

  private let read: () throws -> Data
  private let options: ClientCSVOptions
  private var parser = CSVRecordParser()
  private var pending: [(line: Int, fields: [[UInt8]])] = []
  private var pendingIndex = 0
  private var finished = false
  private var finalized = false
  private var headerLine = 0
  private var l: Language { options.language }

  /// Reads a file, streaming; the header is read and checked here.
  public convenience init(url: URL, options: ClientCSVOptions) throws {
    let file = try ImportChunks.file(url)
    try self.init(total: file.total, read: file.read, options: options)
  }

  /// Reads bytes held in memory (tests), in chunks like a file.
  public convenience init(data: Data, options: ClientCSVOptions, chunkSize: Int = chunkSize)
    throws
  {
    let memory = ImportChunks.memory(data, chunkSize: chunkSize)
    try self.init(total: memory.total, read: memory.read, options: options)
  }

  init(total: Int64, read: @escaping () throws -> Data, options: ClientCSVOptions) throws {
    self.totalBytes = total
    self.read = read
    self.options = options
    encoding = options.encoding
    // The first chunk, extended until it holds the whole header line (delimiter detection
    // needs it), the end of the file, or maxRecordBytes.
    var first = try read()
    while !first.contains(0x0A) && !first.contains(0x0D) && first.count < Self.maxRecordBytes {
      let more = try read()
      if more.isEmpty {
        finished = true
        break
      }
      first += more
    }
    bytesRead = Int64(first.count)
    if first.starts(with: [0xEF, 0xBB, 0xBF]) {
      first.removeFirst(3)
      if encoding == nil { encoding = .utf8 }
    }
    if first.isEmpty {
      throw ImportFileError(line: 0, en: "the file is empty", ru: "файл пуст")
    }
    if encoding == nil { encoding = Self.guessEncoding(first) }
    delimiter = options.delimiter ?? Self.guessDelimiter(first)
    parser.delimiter = delimiter
    try feed(first)
    try readHeader()
  }

  /// UTF-8 when the bytes are valid UTF-8 (a sequence cut at the end of the chunk allowed),
  /// Windows-1251 when they are not, nil when they are all ASCII.
  static func guessEncoding(_ d: Data) -> BankEncoding? {
    d.withUnsafeBytes { raw -> BankEncoding? in
      let b = raw.bindMemory(to: UInt8.self)
      guard hasHighByte(b) else { return nil }
      var n = b.count
      // Drop an incomplete sequence at the very end.
      var back = 0
      while back < 3 && n - back - 1 >= 0 && b[n - back - 1] & 0xC0 == 0x80 { back += 1 }
      if n - back - 1 >= 0 && b[n - back - 1] >= 0xC0 { n = n - back - 1 }
      return isValidUTF8(UnsafeBufferPointer(rebasing: b[0..<n])) ? .utf8 : .cp1251
    }
  }

  /// The candidate that occurs most in the first line outside quotes.
  static func guessDelimiter(_ d: Data) -> UInt8 {
    let candidates: [UInt8] = [0x3B, 0x09, 0x2C, 0x7C]  // ; tab , |
    var counts = [Int](repeating: 0, count: 4)
    var quoted = false
    for c in d {
      if c == 0x22 {
        quoted.toggle()
        continue
      }
      if quoted { continue }
      if c == 0x0A || c == 0x0D { break }
      if let i = candidates.firstIndex(of: c) { counts[i] += 1 }
    }
    let best = counts.max() ?? 0
    if best == 0 { return 0x2C }
    return candidates[counts.firstIndex(of: best)!]
  }

  private func feed(_ d: Data) throws {
    try d.withUnsafeBytes { raw in
      try parser.feed(raw.bindMemory(to: UInt8.self)) { line, fields in
        pending.append((line, fields))
      }
    }
    if parser.recordBytes > Self.maxRecordBytes {
      let start = parser.inQuotes ? parser.fieldLine : parser.recordLine
      throw ImportFileError(
        line: start,
        en: parser.inQuotes
          ? "a quoted field starting here runs over \(Self.maxRecordBytes / 1024) KiB: is its closing quote missing?"
          : "a record starting here is longer than \(Self.maxRecordBytes / 1024) KiB",
        ru: parser.inQuotes
          ? "поле в кавычках, начатое здесь, длиннее \(Self.maxRecordBytes / 1024) КиБ: не закрыта кавычка?"
          : "запись, начатая здесь, длиннее \(Self.maxRecordBytes / 1024) КиБ")
    }
  }

  /// The next raw record, nil at the end of the file.
  private func nextRecord() throws -> (line: Int, fields: [[UInt8]])? {
    while pendingIndex >= pending.count {
      pending.removeAll(keepingCapacity: true)
      pendingIndex = 0
      if finished && finalized { return nil }
      let d = finished ? Data() : try read()
      bytesRead += Int64(d.count)
      if d.isEmpty {
        finished = true
        finalized = true
        if parser.inQuotes {
          throw ImportFileError(
            line: parser.fieldLine,
            en: "a quote opened here is never closed (the file ends inside it)",
            ru: "кавычка, открытая здесь, не закрыта до конца файла")
        }
        parser.finish { line, fields in pending.append((line, fields)) }
      } else {
        try feed(d)
      }
    }
    defer { pendingIndex += 1 }
    return pending[pendingIndex]
  }

  private func decode(_ bytes: [UInt8]) -> String? {
    bytes.withUnsafeBufferPointer { b -> String? in
      if encoding == nil {
        guard hasHighByte(b) else { return String(decoding: b, as: UTF8.self) }
        encoding = isValidUTF8(b) ? .utf8 : .cp1251
      }
      return LineDecoder(encoding ?? .utf8).decode(b)
    }
  }

  private func readHeader() throws {
    while let record = try nextRecord() {
      if record.fields.count == 1 && record.fields[0].isEmpty { continue }
      headerLine = record.line
      header = try record.fields.map {
        guard let s = decode($0) else {
          throw ImportFileError(
            line: record.line, en: "the header is not valid \(encoding?.displayName ?? "text")",
            ru: "заголовок — не текст в \(encoding?.displayName ?? "известной кодировке")")
        }
        return TextFold.sanitizeLine(s)
      }
      break
    }
    guard !header.isEmpty else {
      throw ImportFileError(line: 0, en: "the file has no header", ru: "в файле нет заголовка")
    }
    var mapped: [String: ClientColumn] = [:]
    for (column, field) in options.map {
      guard header.contains(where: { ClientColumn.fold($0) == ClientColumn.fold(column) }) else {
        throw ImportFileError(
          line: headerLine,
          en: "--map: no column «\(column)» in the header (\(header.joined(separator: ", ")))",
          ru: "--map: в заголовке нет колонки «\(column)» (\(header.joined(separator: ", ")))")
      }
      mapped[ClientColumn.fold(column)] = ClientColumn(rawValue: field)
    }
    columns = header.map { name in
      if let m = mapped[ClientColumn.fold(name)] { return m == .skip ? nil : m }
      let c = ClientColumn.matching(name)
      return c == .skip ? nil : c
    }
    for (name, column) in zip(header, columns) where column == nil {
      if name.isEmpty || mapped[ClientColumn.fold(name)] == .skip { continue }
      warnings.append(
        ImportIssue(
          line: headerLine, field: name,
          reason: l.pick(
            "unknown column, ignored (map it with --map \"\(name)=field\")",
            "неизвестная колонка, пропущена (сопоставьте через --map \"\(name)=поле\")")))
    }
    for column in ClientColumn.allCases where column != .phone && column != .email {
      if columns.filter({ $0 == column }).count > 1 {
        let names = zip(header, columns).filter { $0.1 == column }.map(\.0)
        warnings.append(
          ImportIssue(
            line: headerLine, field: names.joined(separator: ", "),
            reason: l.pick(
              "several columns mean \(column.rawValue); the last non-empty value wins",
              "несколько колонок означают \(column.rawValue); берётся последнее непустое значение"))
        )
      }
    }
    if !columns.contains(.name) && !columns.contains(.contact) {
      throw ImportFileError(
        line: headerLine,
        en:
          "no name column in the header (\(header.joined(separator: ", "))); name one with --map \"Column=name\"",
        ru:
          "в заголовке нет колонки с названием (\(header.joined(separator: ", "))); укажите её через --map \"Колонка=name\""
      )
    }
  }

  /// The next row or rejected row; nil at the end. Throws `ImportFileError` for a file that
  /// cannot be read on (an unclosed quote).
  public func next() throws -> ImportItem? {
    while let record = try nextRecord() {
      if record.fields.count == 1 && record.fields[0].isEmpty { continue }
      var fields = record.fields
      if fields.count > columns.count {
        while fields.count > columns.count, fields.last?.isEmpty == true { fields.removeLast() }
      }
      if fields.count != columns.count {
        return .rejected(
          ImportIssue(
            line: record.line, field: "",
            reason: l.pick(
              "\(fields.count) fields, the header has \(columns.count)",
              "полей: \(fields.count), а в заголовке \(columns.count)")))
      }
      var values: [String] = []
      values.reserveCapacity(fields.count)
      for (i, f) in fields.enumerated() {
        guard let s = decode(f) else {
          return .rejected(
            ImportIssue(
              line: record.line, field: header[i],
              reason: l.pick(
                "not valid \(encoding?.displayName ?? "text"); is the file in another encoding? (--encoding)",
                "не текст в кодировке \(encoding?.displayName ?? ""); файл в другой кодировке? (--encoding)"
              )))
        }
        values.append(s)
      }
      return ClientRowBuilder.item(
        line: record.line, columns: columns, header: header, values: values, language: l)
    }
    return nil
  }
}

/// Byte-level RFC 4180 state machine, fed in chunks.
struct CSVRecordParser {
  var delimiter: UInt8 = 0x2C
  private enum State { case fieldStart, unquoted, quoted, quoteSeen }
  private var state = State.fieldStart
  private var field: [UInt8] = []
  private var fields: [[UInt8]] = []
  private var skipLF = false
  private(set) var line = 1
  private(set) var recordLine = 1
  private(set) var fieldLine = 1
  private(set) var recordBytes = 0
  var inQuotes: Bool { state == .quoted }

  mutating func feed(_ b: UnsafeBufferPointer<UInt8>, _ emit: (Int, [[UInt8]]) -> Void) throws {
    let delim = delimiter
    var i = 0
    let n = b.count
    while i < n {
      let c = b[i]
      i += 1
      if skipLF {
        skipLF = false
        if c == 0x0A { continue }
      }
      switch state {
      case .quoted:
        if c == 0x22 {
          state = .quoteSeen
        } else if c == 0x0D {
          line += 1
          skipLF = true
          field.append(0x0A)
        } else {
          if c == 0x0A { line += 1 }
          field.append(c)
        }
        recordBytes += 1
        continue
      case .quoteSeen:
        if c == 0x22 {
          field.append(0x22)
          state = .quoted
          continue
        }
        state = .unquoted
      case .fieldStart, .unquoted:
        break
      }
      if c == delim {
        fields.append(field)
        field.removeAll(keepingCapacity: true)
        state = .fieldStart
      } else if c == 0x0A || c == 0x0D {
        fields.append(field)
        field.removeAll(keepingCapacity: true)
        emit(recordLine, fields)
        fields.removeAll(keepingCapacity: true)
        line += 1
        recordLine = line
        recordBytes = 0
        if c == 0x0D { skipLF = true }
        state = .fieldStart
      } else if c == 0x22 && state == .fieldStart {
        state = .quoted
        fieldLine = line
      } else {
        field.append(c)
        state = .unquoted
        recordBytes += 1
      }
    }
  }

  mutating func finish(_ emit: (Int, [[UInt8]]) -> Void) {
    if state == .fieldStart && fields.isEmpty && field.isEmpty { return }
    fields.append(field)
    field = []
    emit(recordLine, fields)
    fields = []
    state = .fieldStart
  }
}

/// Turns the values of one CSV record (or another flat source) into an import row.
enum ClientRowBuilder {
  static let legalForms = [
    "ООО", "ОАО", "ЗАО", "ПАО", "АО", "НАО", "ИП", "НКО", "АНО", "ГУП", "МУП", "ФГУП",
  ]

  /// `ООО «Ромашка»` → (`ООО`, `Ромашка`); a name without a leading form is kept whole.
  static func splitLegalForm(_ name: String) -> (String, String) {
    guard let space = name.firstIndex(of: " ") else { return ("", name) }
    let head = name[..<space].uppercased()
    for form in legalForms where head == form {
      let prefix = form + " "
      do {
        var rest = String(name.dropFirst(prefix.count)).trimmingSpaces()
        let quotes: Set<Character> = ["«", "»", "\"", "“", "”", "„"]
        if let f = rest.first, quotes.contains(f), let l = rest.last, quotes.contains(l),
          rest.count > 2
        {
          rest = String(rest.dropFirst().dropLast()).trimmingSpaces()
        }
        if !rest.isEmpty { return (form, rest) }
      }
    }
    return ("", name)
  }

  static func kind(_ text: String) -> ClientKind? {
    switch ClientColumn.fold(text) {
    case "компания", "организация", "юрлицо", "юл", "company", "organization", "organisation",
      "org", "business", "legalentity":
      return .company
    case "физлицо", "фл", "частноелицо", "ип", "person", "individual", "private", "ie":
      return .person
    default: return nil
    }
  }

  static func phones(_ text: String) -> [Phone] {
    let parts = text.split(whereSeparator: { $0 == ";" || $0 == "\n" }).map { String($0) }
    var out: [String] = []
    for part in parts {
      let pieces = part.split(separator: ",").map(String.init)
      if pieces.count > 1 && pieces.allSatisfy({ $0.filter(\.isNumber).count >= 7 }) {
        out += pieces
      } else {
        out.append(part)
      }
    }
    return out.map { TextFold.sanitizeLine($0) }.filter { !$0.isEmpty }.map(Phone.init)
  }

  /// Items split on `,` `;` and line breaks (and, with `spaces`, on spaces, after control
  /// characters such as TAB became spaces: otherwise `a@b.ru<TAB>c@d.ru` was one item that the
  /// writer wrote with a space and the reader then split in two).
  static func list(_ text: String, spaces: Bool = false) -> [String] {
    text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
      .flatMap { piece -> [String] in
        let clean = TextFold.sanitizeLine(String(piece))
        return spaces ? clean.split(separator: " ").map(String.init) : [clean]
      }
      .filter { !$0.isEmpty }
  }

  static func item(
    line: Int, columns: [ClientColumn?], header: [String], values: [String], language l: Language
  ) -> ImportItem {
    var c = Client(name: "")
    var person = ContactPerson(clientId: 0, name: "")
    var owner: String?
    var kindText = ""
    var kindColumn = ""
    var account = BankAccount()
    for (i, column) in columns.enumerated() {
      guard let column else { continue }
      let raw = values[i]
      let v = column == .notes ? raw.trimmingSpaces() : TextFold.sanitizeLine(raw)
      if v.isEmpty { continue }
      switch column {
      case .name: c.name = v
      case .kind:
        kindText = v
        kindColumn = header[i]
      case .legalForm: c.legalForm = v
      case .inn: c.inn = v
      case .kpp: c.kpp = v
      case .ogrn: c.ogrn = v
      case .phone: c.phones += phones(raw)
      case .email: c.emails += list(raw, spaces: true)
      case .website: c.website = v
      case .city: c.city = v
      case .legalAddress: c.legalAddress = v
      case .actualAddress: c.actualAddress = v
      case .postalAddress: c.postalAddress = v
      case .segment: c.segment = v
      case .owner: owner = v
      case .source: c.leadSource = v
      case .tags: c.tags += list(raw)
      case .contact: person.name = v
      case .position: person.position = v
      case .contactPhone: person.phones += phones(raw)
      case .contactEmail: person.emails += list(raw, spaces: true)
      case .birthday: person.birthday = v
      case .notes: c.notes = v
      case .bik: account.bik = v
      case .account: account.account = v
      case .corrAccount: account.corrAccount = v
      case .bank: account.bankName = v
      case .skip: break
      }
    }
    if c.legalForm.isEmpty {
      (c.legalForm, c.name) = splitLegalForm(c.name)
    }
    if !kindText.isEmpty {
      guard let k = kind(kindText) else {
        return .rejected(
          ImportIssue(
            line: line, field: kindColumn,
            reason: l.pick(
              "unknown kind «\(kindText)»: use company or person",
              "неизвестный тип «\(kindText)»: укажите компания или физлицо")))
      }
      c.kind = k
    } else if c.inn.filter(\.isNumber).count == 12 || c.legalForm.uppercased() == "ИП"
      || (c.name.isEmpty && !person.name.isEmpty)
    {
      c.kind = .person
    }
    if c.name.isEmpty && !person.name.isEmpty {
      // A row with only a person: the person is the client. Its legal form is split off as a
      // name column's would be ("ИП Семёнов" → ИП, Семёнов), or the row would not read back
      // the same from what the writer makes of it (found by fuzzing).
      c.name = person.name
      if c.legalForm.isEmpty { (c.legalForm, c.name) = Self.splitLegalForm(c.name) }
      c.phones += person.phones
      c.emails += person.emails
      person = ContactPerson(clientId: 0, name: "")
    }
    if c.name.isEmpty {
      return .rejected(
        ImportIssue(
          line: line, field: l.pick("Name", "Название"),
          reason: l.pick("empty: a client needs a name", "пусто: у клиента должно быть название")))
    }
    if !account.isEmpty { c.bankAccounts = [account] }
    var persons: [ContactPerson] = []
    if !person.name.isEmpty && TextFold.key(person.name) != TextFold.key(c.name) {
      persons.append(person)
    }
    return .row(ImportRow(line: line, client: c, persons: persons, ownerLogin: owner))
  }
}

/// Writes clients as CSV that `ClientCSVReader` reads back: UTF-8 with a BOM, `;` between
/// fields (what Excel in a Russian locale expects), CRLF, Russian header names. One row per
/// client; its first contact person goes into the contact columns (the JSON export keeps them
/// all), its first bank account into the bank columns.
public enum ClientCSVWriter {
  public static let header = [
    "Тип", "ОПФ", "Название", "ИНН", "КПП", "ОГРН", "Телефон", "E-mail", "Сайт", "Город",
    "Юридический адрес", "Фактический адрес", "Почтовый адрес", "БИК", "Расчетный счет",
    "Корсчет", "Банк", "Источник", "Сегмент", "Ответственный", "Теги", "Контактное лицо",
    "Должность", "Телефон контакта", "Email контакта", "Комментарий",
  ]

  public static func begin() -> Data {
    Data([0xEF, 0xBB, 0xBF]) + Data(line(header).utf8)
  }

  static func line(_ fields: [String]) -> String {
    fields.map { CSV.field($0, delimiter: ";") }.joined(separator: ";") + "\r\n"
  }

  public static func row(_ c: Client, persons: [ContactPerson], ownerLogin: String) -> Data {
    let p = persons.first
    let a = c.bankAccounts.first ?? BankAccount()
    return Data(
      line([
        c.kind == .company ? "компания" : "физлицо", c.legalForm, c.name, c.inn, c.kpp, c.ogrn,
        c.phones.map(\.raw).joined(separator: "; "), c.emails.joined(separator: "; "),
        c.website, c.city, c.legalAddress, c.actualAddress, c.postalAddress, a.bik, a.account,
        a.corrAccount, a.bankName, c.leadSource, c.segment, ownerLogin,
        c.tags.joined(separator: "; "), p?.name ?? "", p?.position ?? "",
        p?.phones.map(\.raw).joined(separator: "; ") ?? "",
        p?.emails.joined(separator: "; ") ?? "", c.notes,
      ]).utf8)
  }
}

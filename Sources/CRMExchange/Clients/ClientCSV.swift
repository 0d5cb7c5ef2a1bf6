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
  /// Parts of a person's name, joined into the contact person's (or person client's) name.
  case firstName = "first_name"
  case middleName = "middle_name"
  case lastName = "last_name"
  /// An address of any kind: the first fills the actual address, the next the postal one, the
  /// rest go to the note. Address parts (street, city, region, postcode, country) of one group
  /// (`Business …`, `Address 1 - …`) are joined into one address.
  case address, street, region, postcode, country
  /// Kept as `Header: value` in the client's note: a value with no field of its own.
  case extra

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
    .firstName: ["имя", "firstname", "givenname", "first"],
    .middleName: ["отчество", "middlename", "secondname", "additionalname"],
    .lastName: ["фамилия", "lastname", "surname", "familyname", "last"],
    .postcode: ["индекс", "почтовыйиндекс", "zip", "zipcode", "postcode", "postalcode"],
    .country: ["страна", "country"],
    .region: ["регион", "область", "region", "state", "province"],
    .street: ["улица", "street"],
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

/// The records of a CSV file as it streams (64 KiB at a time; memory stays bounded by the
/// longest record, at most `maxRecordBytes`): the `ClientTableSource` under `ClientCSVReader`.
///
/// **Bytes.** A UTF-8 BOM is skipped and means UTF-8. Otherwise, unless `--encoding` says,
/// the first chunk decides: valid UTF-8 → UTF-8, otherwise Windows-1251; a file whose first
/// chunk is plain ASCII is settled by the first field with a byte ≥ 0x80. A field that does not
/// decode in the chosen encoding rejects its row (naming the line). **Syntax** (RFC 4180 and
/// what Excel and 1C write): the delimiter is `;`, `,`, tab or `|`, whichever occurs most in
/// the first line outside quotes (`;` wins ties, `,` when there is none); fields may be
/// quoted with `"`, doubled quotes inside, delimiters and line breaks inside quotes; records end
/// in CRLF, LF or CR, mixed freely. A quote that is never closed is a file error naming the
/// line where its field began.
public final class CSVTableSource: ClientTableSource {
  public static let chunkSize = ClientCSVReader.chunkSize
  public static let maxRecordBytes = ClientCSVReader.maxRecordBytes

  public private(set) var encoding: BankEncoding?
  public private(set) var delimiter: UInt8 = UInt8(ascii: ",")
  public private(set) var bytesRead: Int64 = 0
  public let totalBytes: Int64

  private let read: () throws -> Data
  private let options: ClientCSVOptions
  private var parser = CSVRecordParser()
  private var pending: [(line: Int, fields: [[UInt8]])] = []
  private var pendingIndex = 0
  private var finished = false
  private var finalized = false
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
  private func nextRaw() throws -> (line: Int, fields: [[UInt8]])? {
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

  public func nextRecord() throws -> ClientTableRecord? {
    guard let record = try nextRaw() else { return nil }
    var cells: [String] = []
    cells.reserveCapacity(record.fields.count)
    for f in record.fields {
      guard let s = decode(f) else {
        return ClientTableRecord(
          line: record.line, cells: [],
          problem: ImportIssue(
            line: record.line, field: "",
            reason: l.pick(
              "not valid \(encoding?.displayName ?? "text"); is the file in another encoding? (--encoding)",
              "не текст в кодировке \(encoding?.displayName ?? ""); файл в другой кодировке? (--encoding)"
            )))
      }
      cells.append(s)
    }
    return ClientTableRecord(line: record.line, cells: cells)
  }
}

/// Reads clients from CSV: `CSVTableSource` for the records, `ClientTableReader` for the
/// header, the profile and the rows.
public final class ClientCSVReader {
  public static let chunkSize = 64 * 1024
  /// A longer record (most likely a quote never closed in a huge file) stops the reading.
  public static let maxRecordBytes = 1 << 20

  public let csv: CSVTableSource
  public let table: ClientTableReader

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
    csv = try CSVTableSource(total: total, read: read, options: options)
    table = try ClientTableReader(source: csv, options: options)
  }

  public var encoding: BankEncoding? { csv.encoding }
  public var delimiter: UInt8 { csv.delimiter }
  public var bytesRead: Int64 { csv.bytesRead }
  public var totalBytes: Int64 { csv.totalBytes }
  public var header: [String] { table.header }
  public var columns: [ClientColumn?] { table.columns }
  public var profile: ImportProfile { table.profile }
  public var warnings: [ImportIssue] { table.warnings }
  public var columnUses: [ImportColumnUse] { table.columnUses }

  public func next() throws -> ImportItem? { try table.next() }
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

  /// Splits a multi-value cell: Google's ` ::: `, `;` and line breaks (not `,`, which is
  /// inside addresses and names).
  static func values(_ text: String) -> [String] {
    text.replacingOccurrences(of: ":::", with: "\n")
      .split(whereSeparator: { $0 == ";" || $0 == "\n" })
      .map { TextFold.sanitizeLine(String($0)) }.filter { !$0.isEmpty }
  }

  /// The list without later repeats of the same key (a number in two columns).
  static func unique<T>(_ list: [T], by key: (T) -> String) -> [T] {
    var seen = Set<String>()
    return list.filter { seen.insert(key($0)).inserted }
  }

  /// One row of a table, read through its columns' plans (see `ClientTableReader`).
  static func item(
    line: Int, plans: [ProfileColumn?], header: [String], values cells: [String],
    profile: ImportProfile, overflow: [String] = [], warnings given: [ImportIssue] = [],
    language l: Language, cellName: (Int) -> String? = { _ in nil }
  ) -> ImportItem {
    var c = Client(name: "")
    var person = ContactPerson(clientId: 0, name: "")
    var owner: String?
    var kindText = ""
    var kindColumn = ""
    var account = BankAccount()
    var first: [String] = []
    var middle: [String] = []
    var last: [String] = []
    var fullName = ""
    var company = ""
    var rowPhones: [Phone] = []
    var rowEmails: [String] = []
    var websites: [String] = []
    var notes: [String] = []
    var extras: [String] = []
    var birthday = ""
    var warnings = given
    // Address parts by group, in column order: street lines, city, region, postcode, country,
    // and a whole address when the file gives one.
    var groups: [String: [ClientColumn: [String]]] = [:]
    var groupOrder: [String] = []
    var addresses: [String] = []
    func field(_ i: Int) -> String {
      if let cell = cellName(i) { return "\(cell) (\(header[i]))" }
      return header[i]
    }
    func keep(_ i: Int, _ value: String, _ en: String, _ ru: String) {
      extras.append("\(header[i]): \(value)")
      warnings.append(ImportIssue(line: line, field: field(i), reason: l.pick(en, ru)))
    }
    /// A single-valued field: the first value wins, a different later one goes to the note.
    func single(_ target: inout String, _ value: String, _ i: Int) {
      if target.isEmpty {
        target = value
      } else if TextFold.key(target) != TextFold.key(value) {
        extras.append("\(header[i]): \(value)")
      }
    }
    func phones(_ raw: String, _ i: Int) -> [Phone] {
      var out: [Phone] = []
      for p in Self.phones(raw.replacingOccurrences(of: ":::", with: "\n")) {
        if p.e164 == nil && !Validator.isImportablePhone(p.raw) {
          keep(
            i, p.raw, "«\(p.raw)» is not a phone number we can read: kept in the note",
            "«\(p.raw)» — не номер телефона, который удаётся разобрать: сохранено в примечании")
        } else {
          // A number valid in no region we know (a foreign one without its country code, a
          // short office number) stays a phone as written, without an international form.
          out.append(p)
        }
      }
      return out
    }
    func emails(_ raw: String, _ i: Int) -> [String] {
      var out: [String] = []
      for e in list(raw.replacingOccurrences(of: ":::", with: "\n"), spaces: true) {
        if EmailAddress.isValid(e) {
          out.append(e)
        } else {
          keep(
            i, e, "«\(e)» is not an e-mail address: kept in the note",
            "«\(e)» — не адрес e-mail: сохранено в примечании")
        }
      }
      return out
    }
    for (i, plan) in plans.enumerated() {
      guard let plan, let column = plan.field, i < cells.count else { continue }
      let raw = cells[i]
      let v = column == .notes ? raw.trimmingSpaces() : TextFold.sanitizeLine(raw)
      if v.isEmpty { continue }
      switch column {
      case .name: single(&company, v, i)
      case .kind:
        kindText = v
        kindColumn = header[i]
      case .legalForm: c.legalForm = v
      case .inn: c.inn = v
      case .kpp: c.kpp = v
      case .ogrn: c.ogrn = v
      case .phone:
        if profile.personCentric {
          rowPhones += phones(raw, i)
        } else {
          c.phones += phones(raw, i)
        }
      case .email:
        if profile.personCentric {
          rowEmails += emails(raw, i)
        } else {
          c.emails += emails(raw, i)
        }
      case .website: websites += Self.values(raw)
      case .city: if plan.group.isEmpty { c.city = v }
      case .legalAddress: c.legalAddress = v
      case .actualAddress: c.actualAddress = v
      case .postalAddress: c.postalAddress = v
      case .segment: c.segment = v
      case .owner: owner = v
      case .source: c.leadSource = v
      case .tags:
        c.tags += list(raw.replacingOccurrences(of: ":::", with: "\n")).filter {
          !$0.hasPrefix("* ")
        }
      case .contact: single(&fullName, v, i)
      case .position: single(&person.position, v, i)
      case .contactPhone: person.phones += phones(raw, i)
      case .contactEmail: person.emails += emails(raw, i)
      case .birthday:
        if let day = Formats.parseDay(v), Validator.isISODate(day) {
          single(&birthday, day, i)
        } else {
          keep(
            i, v, "«\(v)» is not a date we can read: kept in the note",
            "«\(v)» — не дата, которую удаётся разобрать: сохранено в примечании")
        }
      case .notes: notes.append(v)
      case .bik: account.bik = v
      case .account: account.account = v
      case .corrAccount: account.corrAccount = v
      case .bank: account.bankName = v
      case .firstName: first.append(v)
      case .middleName: middle.append(v)
      case .lastName: last.append(v)
      case .address, .street, .region, .postcode, .country:
        let group = plan.group.isEmpty ? "#\(i)" : plan.group
        if groups[group] == nil { groupOrder.append(group) }
        if column == .address {
          groups[group, default: [:]][.address, default: []] +=
            raw.replacingOccurrences(of: ":::", with: "\u{1}").split(separator: "\u{1}").map {
              String($0).split(whereSeparator: \.isNewline).map {
                TextFold.sanitizeLine(String($0))
              }.filter { !$0.isEmpty }.joined(separator: ", ")
            }.filter { !$0.isEmpty }
        } else {
          groups[group, default: [:]][column, default: []].append(v)
        }
      case .extra: extras.append("\(header[i]): \(v)")
      case .skip: break
      }
      // A city inside an address group also names the client's city.
      if column == .city && !plan.group.isEmpty {
        groups[plan.group, default: [:]][.city, default: []].append(v)
        if groupOrder.last != plan.group && !groupOrder.contains(plan.group) {
          groupOrder.append(plan.group)
        }
      }
    }
    for g in groupOrder {
      let parts = groups[g] ?? [:]
      if var whole = parts[.address], !whole.isEmpty {
        // Google's formatted address often leaves out the postcode or the country its own
        // part columns hold: those are added, so nothing of the group is lost.
        let text = TextFold.key(whole.joined(separator: " "))
        let missing = [ClientColumn.street, .city, .region, .postcode, .country].flatMap {
          parts[$0] ?? []
        }.filter { !text.contains(TextFold.key($0)) }
        if !missing.isEmpty {
          whole[whole.count - 1] += ", " + missing.joined(separator: ", ")
        }
        addresses += whole
      } else {
        let pieces = [ClientColumn.street, .city, .region, .postcode, .country].flatMap {
          parts[$0] ?? []
        }
        // A city alone is the client's city, not an address.
        if pieces.count > (parts[.city]?.count ?? 0) {
          addresses.append(pieces.joined(separator: ", "))
        }
      }
      if c.city.isEmpty, let city = parts[.city]?.first { c.city = city }
    }
    for a in addresses {
      if c.actualAddress.isEmpty {
        c.actualAddress = a
      } else if c.postalAddress.isEmpty && TextFold.key(a) != TextFold.key(c.actualAddress) {
        c.postalAddress = a
      } else if TextFold.key(a) != TextFold.key(c.actualAddress)
        && TextFold.key(a) != TextFold.key(c.postalAddress)
      {
        extras.append(l.pick("Address: ", "Адрес: ") + a)
      }
    }
    if let site = websites.first { c.website = site }
    for site in websites.dropFirst() where site != c.website {
      extras.append(l.pick("Website: ", "Сайт: ") + site)
    }
    if !fullName.isEmpty {
      person.name = fullName
    } else {
      let parts = profile.surnameFirst ? last + first + middle : first + middle + last
      person.name = parts.joined(separator: " ")
    }
    c.name = company
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
      c.phones += person.phones + rowPhones
      c.emails += person.emails + rowEmails
      if !person.position.isEmpty {
        extras.insert(l.pick("Position: ", "Должность: ") + person.position, at: 0)
      }
      if !birthday.isEmpty {
        extras.insert(l.pick("Birthday: ", "День рождения: ") + birthday, at: 0)
      }
      person = ContactPerson(clientId: 0, name: "")
    } else if !person.name.isEmpty && TextFold.key(person.name) != TextFold.key(c.name) {
      person.phones += rowPhones
      person.emails += rowEmails
      person.birthday = birthday
    } else {
      c.phones += person.phones + rowPhones
      c.emails += person.emails + rowEmails
      if !person.position.isEmpty {
        extras.insert(l.pick("Position: ", "Должность: ") + person.position, at: 0)
      }
      if !birthday.isEmpty {
        extras.insert(l.pick("Birthday: ", "День рождения: ") + birthday, at: 0)
      }
      person = ContactPerson(clientId: 0, name: "")
    }
    if c.name.isEmpty {
      // Nothing names the client: an e-mail or a phone still identifies a person.
      if let e = c.emails.first {
        c.name = e
        c.kind = .person
      } else if let p = c.phones.first {
        c.name = p.raw
        c.kind = .person
      } else {
        return .rejected(
          ImportIssue(
            line: line, field: "",
            reason: l.pick(
              "nothing identifies the client: no name, company, e-mail or phone",
              "ничто не называет клиента: нет ни названия, ни имени, ни e-mail, ни телефона")))
      }
    }
    for v in overflow { extras.append(l.pick("Extra value: ", "Лишнее значение: ") + v) }
    var note = notes.joined(separator: "\n")
    let more = extras.joined(separator: "\n")
    if !more.isEmpty { note = note.isEmpty ? more : note + "\n" + more }
    c.notes = note
    if !account.isEmpty { c.bankAccounts = [account] }
    c.phones = unique(c.phones, by: { $0.e164 ?? $0.raw })
    c.emails = unique(c.emails, by: TextFold.key)
    person.phones = unique(person.phones, by: { $0.e164 ?? $0.raw })
    person.emails = unique(person.emails, by: TextFold.key)
    let persons = person.name.isEmpty ? [] : [person]
    return .row(
      ImportRow(line: line, client: c, persons: persons, ownerLogin: owner, warnings: warnings))
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

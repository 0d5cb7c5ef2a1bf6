import CRMCore
import Foundation

// The names of the `1CClientBankExchange` format and how its values are read.

/// The names of the format.
enum BankKeys {
  static let signature = "1CClientBankExchange"
  static let documentStart = "СекцияДокумент"
  static let encoding = "Кодировка"

  static let encodingKeyBytes = BankEncoding.allCases.map { CodePage.encode(encoding, $0) }

  /// Keys and markers of the format, for telling the encodings apart.
  static let known: Set<String> = {
    var s = Set(HeaderKey.byName.keys).union(SectionKey.byName.keys).union(DocumentKey.byName.keys)
    s.formUnion([documentStart] + Marker.allCases.map(\.rawValue))
    for side in ["Плательщик", "Получатель"] {
      for suffix in ["2", "3", "4", "Корсчет"] { s.insert(side + suffix) }
    }
    s.formUnion([
      "ВидПлатежа", "ВидОплаты", "Код", "Очередность", "СтатусСоставителя", "ПоказательКБК",
      "ОКАТО", "ПоказательОснования", "ПоказательПериода", "ПоказательНомера",
      "ПоказательДаты", "ПоказательТипа", "КодНазПлатежа", "СрокПлатежа", "СрокАкцепта",
      "ВидАккредитива", "УсловиеОплаты1", "УсловиеОплаты2", "УсловиеОплаты3",
      "ПлатежПоПредст", "ДополнУсловия", "НомерСчетаПоставщика", "ДатаОтсылкиДок",
    ])
    return s
  }()
}

/// The lines without `=` that shape the file.
enum Marker: String, CaseIterable {
  case accountStart = "СекцияРасчСчет"
  case accountEnd = "КонецРасчСчет"
  case documentEnd = "КонецДокумента"
  case fileEnd = "КонецФайла"
}

enum HeaderKey {
  case version, encoding, sender, receiver, created, createdTime, from, to, account, documentKind

  static let byName: [String: HeaderKey] = [
    "ВерсияФормата": .version, BankKeys.encoding: .encoding, "Отправитель": .sender,
    "Получатель": .receiver, "ДатаСоздания": .created, "ВремяСоздания": .createdTime,
    "ДатаНачала": .from, "ДатаКонца": .to, "РасчСчет": .account, "Документ": .documentKind,
  ]
}

enum SectionKey {
  case from, to, account, opening, received, written, closing

  static let byName: [String: SectionKey] = [
    "ДатаНачала": .from, "ДатаКонца": .to, "РасчСчет": .account, "НачальныйОстаток": .opening,
    "ВсегоПоступило": .received, "ВсегоСписано": .written, "КонечныйОстаток": .closing,
  ]
}

enum DocumentKey: Int, CaseIterable {
  case number, date, amount
  case payerAccount, payerSettlement, payer, payer1, payerINN, payerKPP, payerBIC
  case payerBank1, payerBank2
  case payeeAccount, payeeSettlement, payee, payee1, payeeINN, payeeKPP, payeeBIC
  case payeeBank1, payeeBank2
  case dateWritten, dateReceived
  case purpose, purpose1, purpose2, purpose3, purpose4, purpose5, purpose6

  static let byName: [String: DocumentKey] = {
    var m: [String: DocumentKey] = [
      "Номер": .number, "Дата": .date, "Сумма": .amount, "ДатаСписано": .dateWritten,
      "ДатаПоступило": .dateReceived, "НазначениеПлатежа": .purpose,
    ]
    let purposes: [DocumentKey] = [
      .purpose1, .purpose2, .purpose3, .purpose4, .purpose5, .purpose6,
    ]
    for (i, k) in purposes.enumerated() { m["НазначениеПлатежа\(i + 1)"] = k }
    let payer: [(String, DocumentKey)] = [
      ("Счет", .payerAccount), ("РасчСчет", .payerSettlement), ("", .payer), ("1", .payer1),
      ("ИНН", .payerINN), ("КПП", .payerKPP), ("БИК", .payerBIC), ("Банк1", .payerBank1),
      ("Банк2", .payerBank2),
    ]
    let payee: [(String, DocumentKey)] = [
      ("Счет", .payeeAccount), ("РасчСчет", .payeeSettlement), ("", .payee), ("1", .payee1),
      ("ИНН", .payeeINN), ("КПП", .payeeKPP), ("БИК", .payeeBIC), ("Банк1", .payeeBank1),
      ("Банк2", .payeeBank2),
    ]
    for (suffix, k) in payer { m["Плательщик" + suffix] = k }
    for (suffix, k) in payee { m["Получатель" + suffix] = k }
    return m
  }()
}

/// What a key means in each part of the file.
struct KeyInfo {
  let name: String
  let header: HeaderKey?
  let section: SectionKey?
  let document: DocumentKey?
  let startsDocument: Bool

  init(_ name: String) {
    self.name = name
    header = HeaderKey.byName[name]
    section = SectionKey.byName[name]
    document = DocumentKey.byName[name]
    startsDocument = name == BankKeys.documentStart
  }
}

/// The values of the format: dates, amounts, names.
extension BankParser {
  static func either(_ a: String, _ b: String) -> String { a.isEmpty ? b : a }

  static func joined(_ a: String, _ b: String) -> String {
    a.isEmpty ? b : b.isEmpty ? a : a + " " + b
  }

  /// Плательщик1 (Получатель1), else Плательщик (Получатель) without its leading INN.
  static func name(_ short: String, _ long: String) -> String {
    short.isEmpty ? withoutINN(long) : short
  }

  /// `ИНН 5001999994 ООО "Вектор"` → `ООО "Вектор"`; anything else as it is.
  static func withoutINN(_ s: String) -> String {
    let u = s.utf8
    let prefix: [UInt8] = [0xD0, 0x98, 0xD0, 0x9D, 0xD0, 0x9D]  // ИНН
    guard u.starts(with: prefix) else { return s }
    var i = u.index(u.startIndex, offsetBy: prefix.count)
    while i < u.endIndex && u[i] == 0x20 { i = u.index(after: i) }
    let digitsStart = i
    while i < u.endIndex && u[i] &- 0x30 < 10 { i = u.index(after: i) }
    guard i > digitsStart, i == u.endIndex || u[i] == 0x20 else { return s }
    while i < u.endIndex && u[i] == 0x20 { i = u.index(after: i) }
    return String(s[i...])
  }

  /// A `dd.MM.yyyy` date; nil for an empty optional one.
  static func date(_ f: BankField, required: Bool) throws(BankStatementError) -> BankDate? {
    if f.value.isEmpty {
      guard required else { return nil }
      throw BankStatementError(
        line: f.line, key: f.key, en: "the date is empty", ru: "дата не указана")
    }
    if let d = BankDate(russian: f.value) { return d }
    var text = f.value
    if text.withUTF8({ BankDate.digits(UnsafeRawBufferPointer($0)) }) != nil {
      throw BankStatementError(
        line: f.line, key: f.key, en: "«\(f.value)»: there is no such day",
        ru: "«\(f.value)»: такого дня нет")
    }
    throw BankStatementError(
      line: f.line, key: f.key,
      en: "«\(f.value)» is not a date; the format writes dates as dd.MM.yyyy, e.g. 15.06.2025",
      ru: "«\(f.value)» — не дата; в формате даты пишутся дд.ММ.гггг, например 15.06.2025")
  }

  /// Сумма: kopecks, > 0.
  static func amount(_ f: BankField) throws(BankStatementError) -> Int64 {
    if f.value.isEmpty {
      throw BankStatementError(
        line: f.line, key: f.key, en: "the amount is empty", ru: "сумма не указана")
    }
    let v = try kopecks(f, allowNegative: false)
    guard v > 0 else {
      throw BankStatementError(
        line: f.line, key: f.key, en: "«\(f.value)»: the amount must be greater than zero",
        ru: "«\(f.value)»: сумма должна быть больше нуля")
    }
    return v
  }

  /// A balance: zero and negative allowed, nil when empty.
  static func balance(_ f: BankField) throws(BankStatementError) -> Int64? {
    f.value.isEmpty ? nil : try kopecks(f, allowNegative: true)
  }

  /// `120000.00` read directly; anything else (`120 000,00`, `-5`, `12a`) through Money.parse.
  static func kopecks(_ f: BankField, allowNegative: Bool) throws(BankStatementError) -> Int64 {
    var text = f.value
    let fast = text.withUTF8 { b -> Int64? in
      var whole: Int64 = 0
      var i = 0
      while i < b.count && i < 13 && b[i] &- 0x30 < 10 {
        whole = whole * 10 + Int64(b[i] - 0x30)
        i += 1
      }
      guard i > 0 else { return nil }
      if i == b.count { return whole * 100 }
      guard b[i] == UInt8(ascii: "."), b.count - i - 1 <= 2 else { return nil }
      var fraction: Int64 = 0
      for j in (i + 1)..<b.count {
        guard b[j] &- 0x30 < 10 else { return nil }
        fraction = fraction * 10 + Int64(b[j] - 0x30)
      }
      return whole * 100 + (b.count - i - 1 == 1 ? fraction * 10 : fraction)
    }
    if let fast { return fast }
    func parse(_ l: Language) throws(CRMError) -> Int64 {
      try Money.parse(
        f.value, currency: .rub, language: l, field: f.key, allowNegative: allowNegative
      ).minor
    }
    func problem(_ error: CRMError, _ l: Language) -> String {
      if case .invalid(_, let problem) = error { return problem }
      return error.message(l)
    }
    do {
      return try parse(.en)
    } catch {
      let en = problem(error, .en)
      var ru = en
      do {
        _ = try parse(.ru)
      } catch let russian {
        ru = problem(russian, .ru)
      }
      throw BankStatementError(line: f.line, key: f.key, en: en, ru: ru)
    }
  }
}

import CRMCore
import Foundation

// The bank statement file of 1C:Enterprise, `1CClientBankExchange` (`kl_to_1c.txt`): the text
// every Russian bank client writes for 1C:Бухгалтерия. Here the public types; the reader and its
// rules in BankStatementReader.swift, the names and values of the format in
// BankStatementFormat.swift, code pages and line splitting in BankStatementBytes.swift, the writer
// in BankStatementWriter.swift.

/// The character set of a statement file. The header names only two (`Кодировка=Windows` →
/// CP1251, `Кодировка=DOS` → CP866); UTF-8 occurs in practice, usually with the header still
/// saying `Windows`.
public enum BankEncoding: String, Sendable, CaseIterable {
  case utf8
  case cp1251
  case cp866

  /// `UTF-8`, `Windows-1251`, `DOS (CP866)`: for messages.
  public var displayName: String {
    switch self {
    case .utf8: return "UTF-8"
    case .cp1251: return "Windows-1251"
    case .cp866: return "DOS (CP866)"
    }
  }

  /// The value of `Кодировка=` a writer puts in the header: `DOS` for CP866, else `Windows`.
  public var headerName: String { self == .cp866 ? "DOS" : "Windows" }

  /// `text` in this encoding (no BOM); a character the code page lacks becomes `?`.
  public func encode(_ text: String) -> Data { Data(CodePage.encode(text, self)) }

  /// The encoding a header value names (`Windows`, `DOS`, any case); nil for anything else.
  public init?(headerName: String) {
    switch headerName.trimmingCharacters(in: .whitespaces).lowercased() {
    case "windows": self = .cp1251
    case "dos": self = .cp866
    default: return nil
    }
  }
}

/// A calendar day as the statement writes it (`dd.MM.yyyy`), with no time zone.
public struct BankDate: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  /// Nil for a day that does not exist (31.02, month 13, day 0) and for years outside 1900–2200.
  public init?(year: Int, month: Int, day: Int) {
    guard (1900...2200).contains(year), (1...12).contains(month), day >= 1,
      day <= BankDate.days(inMonth: month, year: year)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Reads exactly `dd.MM.yyyy` (`15.06.2025`); nil for any other form or an impossible day.
  public init?(russian text: String) {
    var text = text
    let parsed = text.withUTF8 { BankDate.digits(UnsafeRawBufferPointer($0)) }
    guard let (d, m, y) = parsed else { return nil }
    self.init(year: y, month: m, day: d)
  }

  /// Day, month and year of `dd.MM.yyyy` without checking that the day exists.
  static func digits(_ b: UnsafeRawBufferPointer) -> (day: Int, month: Int, year: Int)? {
    guard b.count == 10, b[2] == UInt8(ascii: "."), b[5] == UInt8(ascii: ".") else { return nil }
    var parts = (0, 0, 0)
    var v = 0
    for i in 0..<10 where i != 2 && i != 5 {
      let c = b[i] &- 0x30
      guard c < 10 else { return nil }
      v = v * 10 + Int(c)
      if i == 1 {
        parts.0 = v
        v = 0
      } else if i == 4 {
        parts.1 = v
        v = 0
      }
    }
    parts.2 = v
    return parts
  }

  static func days(inMonth month: Int, year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// `2025-06-15`
  public var iso: String { "\(year)-\(Self.two(month))-\(Self.two(day))" }

  /// `15.06.2025`, the statement's own form.
  public var russian: String { "\(Self.two(day)).\(Self.two(month)).\(year)" }

  public var description: String { iso }

  public static func < (a: BankDate, b: BankDate) -> Bool {
    (a.year, a.month, a.day) < (b.year, b.month, b.day)
  }

  private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
}

/// One `key=value` line as read: key and value trimmed of surrounding spaces, the 1-based line.
public struct BankField: Equatable, Sendable {
  public let key: String
  public let value: String
  public let line: Int

  public init(key: String, value: String, line: Int) {
    self.key = key
    self.value = value
    self.line = line
  }
}

/// A `СекцияРасчСчет` … `КонецРасчСчет` block: the balances of one of our accounts for the
/// period. Amounts in kopecks; nil when the key is absent or empty. Balances may be zero or
/// negative (an overdraft).
public struct BankAccountSection: Equatable, Sendable {
  /// РасчСчет (required).
  public var account: String
  /// ДатаНачала, ДатаКонца.
  public var from: BankDate?
  public var to: BankDate?
  /// НачальныйОстаток, ВсегоПоступило, ВсегоСписано, КонечныйОстаток.
  public var opening: Int64?
  public var received: Int64?
  public var written: Int64?
  public var closing: Int64?
  /// The line of `СекцияРасчСчет`.
  public var line: Int

  public init(
    account: String, from: BankDate? = nil, to: BankDate? = nil, opening: Int64? = nil,
    received: Int64? = nil, written: Int64? = nil, closing: Int64? = nil, line: Int = 0
  ) {
    self.account = account
    self.from = from
    self.to = to
    self.opening = opening
    self.received = received
    self.written = written
    self.closing = closing
    self.line = line
  }
}

/// A `СекцияДокумент=<kind>` … `КонецДокумента` block: one payment document. Any kind is
/// accepted (Платежное поручение, Платежное требование, Инкассовое поручение, Аккредитив,
/// Банковский ордер, …). Номер, Дата and Сумма are required; the other properties are empty
/// strings (or nil dates) when the file does not have them.
public struct BankDocument: Equatable, Sendable {
  /// The line of `СекцияДокумент=`.
  public var line: Int
  /// The value after `СекцияДокумент=`.
  public var kind: String
  /// Номер
  public var number: String
  /// Дата
  public var date: BankDate
  /// Сумма in kopecks, > 0.
  public var amount: Int64
  /// ПлательщикСчет, else ПлательщикРасчСчет.
  public var payerAccount: String
  /// Плательщик1, else Плательщик with a leading `ИНН 1234567890 ` removed.
  public var payerName: String
  /// ПлательщикИНН, ПлательщикКПП, ПлательщикБИК.
  public var payerINN: String
  public var payerKPP: String
  public var payerBIC: String
  /// ПлательщикБанк1 + " " + ПлательщикБанк2, trimmed.
  public var payerBank: String
  /// ПолучательСчет, else ПолучательРасчСчет.
  public var payeeAccount: String
  /// Получатель1, else Получатель with a leading `ИНН 1234567890 ` removed.
  public var payeeName: String
  /// ПолучательИНН, ПолучательКПП, ПолучательБИК.
  public var payeeINN: String
  public var payeeKPP: String
  public var payeeBIC: String
  /// ПолучательБанк1 + " " + ПолучательБанк2, trimmed.
  public var payeeBank: String
  /// ДатаСписано: the day the money left the payer's account; nil when empty or absent.
  public var dateWritten: BankDate?
  /// ДатаПоступило: the day the money reached the payee's account; nil when empty or absent.
  public var dateReceived: BankDate?
  /// НазначениеПлатежа; if empty, the non-empty НазначениеПлатежа1…6 joined with spaces.
  public var purpose: String
  /// Every `key=value` of the section as read (the `СекцияДокумент=` line itself excepted),
  /// unknown keys and repeated keys included, in file order.
  public var fields: [BankField]

  public init(
    line: Int = 0, kind: String = "Платежное поручение", number: String, date: BankDate,
    amount: Int64, payerAccount: String = "", payerName: String = "", payerINN: String = "",
    payerKPP: String = "", payerBIC: String = "", payerBank: String = "",
    payeeAccount: String = "", payeeName: String = "", payeeINN: String = "",
    payeeKPP: String = "", payeeBIC: String = "", payeeBank: String = "",
    dateWritten: BankDate? = nil, dateReceived: BankDate? = nil, purpose: String = "",
    fields: [BankField] = []
  ) {
    self.line = line
    self.kind = kind
    self.number = number
    self.date = date
    self.amount = amount
    self.payerAccount = payerAccount
    self.payerName = payerName
    self.payerINN = payerINN
    self.payerKPP = payerKPP
    self.payerBIC = payerBIC
    self.payerBank = payerBank
    self.payeeAccount = payeeAccount
    self.payeeName = payeeName
    self.payeeINN = payeeINN
    self.payeeKPP = payeeKPP
    self.payeeBIC = payeeBIC
    self.payeeBank = payeeBank
    self.dateWritten = dateWritten
    self.dateReceived = dateReceived
    self.purpose = purpose
    self.fields = fields
  }

  /// The value of `key` in this section (the last one when the key is repeated); nil if absent.
  public func value(_ key: String) -> String? {
    fields.last { $0.key == key }?.value
  }

  /// Money that came to us: the payee account is one of `ours` and ДатаПоступило is set; or,
  /// when neither ДатаПоступило nor ДатаСписано is set, the payee account is ours and the payer
  /// account is not.
  public func isIncoming(ours: Set<String>) -> Bool {
    guard ours.contains(payeeAccount) else { return false }
    if dateReceived != nil { return true }
    return dateWritten == nil && !ours.contains(payerAccount)
  }

  /// Money that left us: the payer account is one of `ours` and ДатаСписано is set; or, when
  /// neither date is set, the payer account is ours and the payee account is not. A transfer
  /// between two of our accounts with both dates is both incoming and outgoing.
  public func isOutgoing(ours: Set<String>) -> Bool {
    guard ours.contains(payerAccount) else { return false }
    if dateWritten != nil { return true }
    return dateReceived == nil && !ours.contains(payeeAccount)
  }
}

/// The `key=value` lines between `1CClientBankExchange` and the first section.
public struct BankStatementHeader: Equatable, Sendable {
  /// ВерсияФормата (`1.02`, `1.03`).
  public var formatVersion: String
  /// Кодировка as written (`Windows`, `DOS`); the encoding actually used is
  /// `BankStatement.encoding`.
  public var encodingName: String
  /// Отправитель, Получатель.
  public var sender: String
  public var receiver: String
  /// ДатаСоздания, ВремяСоздания (`HH:mm:ss`, kept as text).
  public var created: BankDate?
  public var createdTime: String
  /// ДатаНачала, ДатаКонца: the period of the statement.
  public var from: BankDate?
  public var to: BankDate?
  /// Every РасчСчет= of the header, in order.
  public var accounts: [String]
  /// Every Документ= of the header, in order.
  public var documentKinds: [String]
  /// Every `key=value` of the header, in order.
  public var fields: [BankField]

  public init(
    formatVersion: String = "", encodingName: String = "", sender: String = "",
    receiver: String = "", created: BankDate? = nil, createdTime: String = "",
    from: BankDate? = nil, to: BankDate? = nil, accounts: [String] = [],
    documentKinds: [String] = [], fields: [BankField] = []
  ) {
    self.formatVersion = formatVersion
    self.encodingName = encodingName
    self.sender = sender
    self.receiver = receiver
    self.created = created
    self.createdTime = createdTime
    self.from = from
    self.to = to
    self.accounts = accounts
    self.documentKinds = documentKinds
    self.fields = fields
  }
}

/// Something odd that did not stop the reading: an unknown line, a repeated key, text after
/// КонецФайла, a header naming the wrong encoding.
public typealias BankStatementWarning = LineMessage

/// Why a statement file was refused. A file with any error yields no statement at all.
public struct BankStatementError: Error, Equatable, Sendable, CustomStringConvertible {
  /// 1-based line of the problem; 0 only for an empty or unreadable file.
  public let line: Int
  /// The key concerned, when there is one (`Сумма`, `Дата`, `СекцияДокумент`, …).
  public let key: String?
  public let en: String
  public let ru: String

  public init(line: Int, key: String? = nil, en: String, ru: String) {
    self.line = line
    self.key = key
    self.en = en
    self.ru = ru
  }

  /// `line 24 (Сумма): …` / `строка 24 (Сумма): …`; just the text when the line is 0.
  public func message(_ l: Language) -> String {
    let text = l.pick(en, ru)
    guard line > 0 else { return text }
    return l.pick("line \(line)", "строка \(line)") + (key.map { " (\($0))" } ?? "") + ": "
      + text
  }

  public var description: String { message(.en) }
}

/// A whole statement, validated: every document has a number, a real date and a positive amount.
public struct BankStatement: Equatable, Sendable {
  /// The encoding the file was read in (decided from the bytes, see BankStatementReader).
  public var encoding: BankEncoding
  public var header: BankStatementHeader
  public var sections: [BankAccountSection]
  public var documents: [BankDocument]
  /// Sorted by line.
  public var warnings: [BankStatementWarning]

  public init(
    encoding: BankEncoding, header: BankStatementHeader, sections: [BankAccountSection],
    documents: [BankDocument], warnings: [BankStatementWarning]
  ) {
    self.encoding = encoding
    self.header = header
    self.sections = sections
    self.documents = documents
    self.warnings = warnings
  }

  /// Our accounts: header РасчСчет values plus section accounts.
  public var ourAccounts: Set<String> { ourAccountSet(header, sections) }
}

/// What `BankStatementReader.stream` returns once the documents have gone to the callback.
public struct BankStatementSummary: Equatable, Sendable {
  public var encoding: BankEncoding
  public var header: BankStatementHeader
  public var sections: [BankAccountSection]
  public var documentCount: Int
  /// Sorted by line; at most `BankStatementReader.maxWarnings` plus one that counts the rest.
  public var warnings: [BankStatementWarning]

  public init(
    encoding: BankEncoding, header: BankStatementHeader, sections: [BankAccountSection],
    documentCount: Int, warnings: [BankStatementWarning]
  ) {
    self.encoding = encoding
    self.header = header
    self.sections = sections
    self.documentCount = documentCount
    self.warnings = warnings
  }

  /// Our accounts: header РасчСчет values plus section accounts.
  public var ourAccounts: Set<String> { ourAccountSet(header, sections) }
}

private func ourAccountSet(_ h: BankStatementHeader, _ s: [BankAccountSection]) -> Set<String> {
  Set(h.accounts.filter { !$0.isEmpty }).union(s.map(\.account).filter { !$0.isEmpty })
}

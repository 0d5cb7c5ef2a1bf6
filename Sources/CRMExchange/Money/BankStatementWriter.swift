import CRMCore
import Foundation

/// Writes `1CClientBankExchange` files as a bank client would: for tests, the benchmark and demo
/// data. Lines end in CRLF; `Кодировка=Windows` for CP1251 and UTF-8 (as real UTF-8 files have
/// it), `DOS` for CP866; a СекцияРасчСчет per account with its totals (opening balance 0);
/// documents; КонецФайла. A character the code page lacks is written as `?`; a line break inside
/// a value becomes a space. `BankStatementReader.parse` reads the result back to the drafts.
public enum BankStatementWriter {
  /// One payment document to write.
  public struct Draft: Sendable {
    public var kind: String
    public var number: String
    public var date: BankDate
    /// Kopecks, > 0.
    public var amount: Int64
    public var payerAccount: String
    public var payerName: String
    public var payerINN: String
    public var payerKPP: String
    public var payerBIC: String
    /// Written as ПлательщикБанк1.
    public var payerBank: String
    public var payeeAccount: String
    public var payeeName: String
    public var payeeINN: String
    public var payeeKPP: String
    public var payeeBIC: String
    /// Written as ПолучательБанк1.
    public var payeeBank: String
    public var dateWritten: BankDate?
    public var dateReceived: BankDate?
    public var purpose: String
    /// More `key=value` lines, written after НазначениеПлатежа in this order.
    public var extra: [(key: String, value: String)]

    public init(
      kind: String = "Платежное поручение", number: String, date: BankDate, amount: Int64,
      payerAccount: String = "", payerName: String = "", payerINN: String = "",
      payerKPP: String = "", payerBIC: String = "", payerBank: String = "",
      payeeAccount: String = "", payeeName: String = "", payeeINN: String = "",
      payeeKPP: String = "", payeeBIC: String = "", payeeBank: String = "",
      dateWritten: BankDate? = nil, dateReceived: BankDate? = nil, purpose: String = "",
      extra: [(key: String, value: String)] = []
    ) {
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
      self.extra = extra
    }
  }

  /// A whole file.
  public static func write(
    sender: String, accounts: [String], from: BankDate, to: BankDate, documents: [Draft],
    encoding: BankEncoding = .cp1251, version: String = "1.03"
  ) -> Data {
    var out = head(
      sender: sender, accounts: accounts, from: from, to: to, documents: documents,
      encoding: encoding, version: version)
    for d in documents { out.append(document(d, encoding: encoding)) }
    out.append(end(encoding: encoding))
    return out
  }

  /// Everything before the first document: the header and the account sections, whose totals
  /// come from `documents`. With `head`, `document` and `end` a large file can be written piece
  /// by piece.
  public static func head(
    sender: String, accounts: [String], from: BankDate, to: BankDate, documents: [Draft],
    encoding: BankEncoding = .cp1251, version: String = "1.03"
  ) -> Data {
    var kinds: [String] = []
    for d in documents where !kinds.contains(d.kind) { kinds.append(d.kind) }
    if kinds.isEmpty { kinds = ["Платежное поручение"] }
    var lines = [
      BankKeys.signature, "ВерсияФормата=\(version)", "Кодировка=\(encoding.headerName)",
      "Отправитель=\(clean(sender))", "Получатель=1С:Предприятие",
      "ДатаСоздания=\(to.russian)", "ВремяСоздания=00:00:00",
      "ДатаНачала=\(from.russian)", "ДатаКонца=\(to.russian)",
    ]
    lines += accounts.map { "РасчСчет=\(clean($0))" }
    lines += kinds.map { "Документ=\(clean($0))" }
    for account in accounts {
      let received = documents.filter { $0.payeeAccount == account }.reduce(0) { $0 + $1.amount }
      let written = documents.filter { $0.payerAccount == account }.reduce(0) { $0 + $1.amount }
      lines += [
        "СекцияРасчСчет", "ДатаНачала=\(from.russian)", "ДатаКонца=\(to.russian)",
        "РасчСчет=\(clean(account))", "НачальныйОстаток=0.00",
        "ВсегоПоступило=\(rubles(received))", "ВсегоСписано=\(rubles(written))",
        "КонечныйОстаток=\(rubles(received - written))", "КонецРасчСчет",
      ]
    }
    return encoded(lines, encoding)
  }

  /// One `СекцияДокумент=` … `КонецДокумента` block.
  public static func document(_ d: Draft, encoding: BankEncoding = .cp1251) -> Data {
    func party(_ inn: String, _ name: String) -> String {
      // No name, no "ИНН …" either: the reader would take that for the name.
      inn.isEmpty || name.isEmpty ? name : "ИНН \(inn) \(name)"
    }
    var pairs: [(String, String)] = [
      ("Номер", d.number), ("Дата", d.date.russian), ("Сумма", rubles(d.amount)),
      ("ПлательщикСчет", d.payerAccount),
    ]
    if let w = d.dateWritten { pairs.append(("ДатаСписано", w.russian)) }
    pairs += [
      ("Плательщик", party(d.payerINN, d.payerName)), ("ПлательщикИНН", d.payerINN),
      ("ПлательщикКПП", d.payerKPP), ("Плательщик1", d.payerName),
      ("ПлательщикРасчСчет", d.payerAccount), ("ПлательщикБанк1", d.payerBank),
      ("ПлательщикБИК", d.payerBIC), ("ПолучательСчет", d.payeeAccount),
    ]
    if let r = d.dateReceived { pairs.append(("ДатаПоступило", r.russian)) }
    pairs += [
      ("Получатель", party(d.payeeINN, d.payeeName)), ("ПолучательИНН", d.payeeINN),
      ("ПолучательКПП", d.payeeKPP), ("Получатель1", d.payeeName),
      ("ПолучательРасчСчет", d.payeeAccount), ("ПолучательБанк1", d.payeeBank),
      ("ПолучательБИК", d.payeeBIC), ("ВидОплаты", "01"), ("Очередность", "5"),
      ("НазначениеПлатежа", d.purpose),
    ]
    pairs += d.extra.map { ($0.key, $0.value) }
    var lines = ["\(BankKeys.documentStart)=\(clean(d.kind))"]
    lines += pairs.map { "\($0)=\(clean($1))" }
    lines.append(Marker.documentEnd.rawValue)
    return encoded(lines, encoding)
  }

  /// `КонецФайла`.
  public static func end(encoding: BankEncoding = .cp1251) -> Data {
    encoded([Marker.fileEnd.rawValue], encoding)
  }

  private static func rubles(_ kopecks: Int64) -> String { Money(minor: kopecks).plain }

  private static func clean(_ s: String) -> String {
    guard s.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return s }
    return String(s.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" ? " " : $0 })
  }

  private static func encoded(_ lines: [String], _ e: BankEncoding) -> Data {
    Data(CodePage.encode(lines.joined(separator: "\r\n") + "\r\n", e))
  }
}

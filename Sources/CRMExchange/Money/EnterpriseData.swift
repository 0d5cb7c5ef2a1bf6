import CRMCore
import Foundation

// MARK: What an act says

/// Our organisation or the counterparty of an act, as 1C identifies it: by ИНН and КПП.
public struct ActParty: Equatable, Sendable {
  public var name: String
  public var inn: String
  /// Empty for individuals and individual entrepreneurs.
  public var kpp: String
  /// An individual or an individual entrepreneur (ИП): ЮридическоеФизическоеЛицо = ФизическоеЛицо.
  public var isPerson: Bool

  public init(name: String, inn: String, kpp: String, isPerson: Bool = false) {
    self.name = name
    self.inn = inn
    self.kpp = kpp
    self.isPerson = isPerson
  }
}

/// The contract an act is settled under.
public struct ActContractRef: Equatable, Sendable {
  public var number: String
  /// `yyyy-MM-dd`.
  public var date: String
  /// ISO 4217 letters of the settlement currency.
  public var currencyCode: String
  /// Rate of the settlement currency to RUB; nil means 1.
  public var rate: Decimal?
  /// Settled in conventional units (a price in a currency, paid in roubles).
  public var conventionalUnits: Bool

  public init(
    number: String, date: String, currencyCode: String = "RUB", rate: Decimal? = nil,
    conventionalUnits: Bool = false
  ) {
    self.number = number
    self.date = date
    self.currencyCode = currencyCode
    self.rate = rate
    self.conventionalUnits = conventionalUnits
  }
}

/// One service line of an act.
public struct ActLine: Equatable, Sendable {
  public var name: String
  /// 1.000 = 1000.
  public var quantityThousandths: Int64
  /// Minor units of the act's currency.
  public var price: Int64
  /// Minor units; includes VAT when the act's `sumIncludesVAT` is set.
  public var sum: Int64
  /// `"none"` (or empty), `"0"`, `"5"`, `"7"`, `"10"`, `"20"`, `"22"`. Another number (a historical
  /// `"18"`) is written the way the version table writes a rate it does not list.
  public var vatRate: String
  /// Minor units.
  public var vat: Int64

  public init(
    name: String, quantityThousandths: Int64, price: Int64, sum: Int64, vatRate: String,
    vat: Int64
  ) {
    self.name = name
    self.quantityThousandths = quantityThousandths
    self.price = price
    self.sum = sum
    self.vatRate = vatRate
    self.vat = vat
  }
}

/// An act of services (акт оказанных услуг) ready to leave the CRM.
public struct ActExport: Equatable, Sendable {
  /// CRM id; the document's Ссылка is a UUID v5 of `termcrm-act-<id>` (see `EnterpriseDataRef`).
  public var id: Int64
  public var number: String
  /// `yyyy-MM-dd`.
  public var date: String
  /// The service period (`yyyy-MM-dd`), printed in each line's Содержание; EnterpriseData has no
  /// field of its own for it.
  public var periodFrom: String?
  public var periodTo: String?
  public var organization: ActParty
  public var counterparty: ActParty
  /// CRM client id; the counterparty's Ссылка is a UUID v5 of `termcrm-client-<id>`.
  public var counterpartyID: Int64
  public var contract: ActContractRef?
  /// ISO 4217 letters.
  public var currencyCode: String
  public var sumIncludesVAT: Bool
  /// The amount payable, VAT included, in minor units.
  public var total: Int64
  /// Minor units.
  public var vat: Int64
  public var lines: [ActLine]
  public var comment: String

  public init(
    id: Int64, number: String, date: String, periodFrom: String? = nil, periodTo: String? = nil,
    organization: ActParty, counterparty: ActParty, counterpartyID: Int64,
    contract: ActContractRef? = nil, currencyCode: String = "RUB", sumIncludesVAT: Bool = true,
    total: Int64, vat: Int64, lines: [ActLine], comment: String = ""
  ) {
    self.id = id
    self.number = number
    self.date = date
    self.periodFrom = periodFrom
    self.periodTo = periodTo
    self.organization = organization
    self.counterparty = counterparty
    self.counterpartyID = counterpartyID
    self.contract = contract
    self.currencyCode = currencyCode
    self.sumIncludesVAT = sumIncludesVAT
    self.total = total
    self.vat = vat
    self.lines = lines
    self.comment = comment
  }
}

// MARK: Format versions

/// One version of the EnterpriseData format and the few names in it an act of services depends
/// on. A version is a row of data: adding one means adding a row to `supported`, not code.
///
/// What the rows are based on (public generators and schema-generated classes read for facts;
/// where they disagree the most common shape wins):
/// - Services go to the table `Услуги` (rows `Строка`: Номенклатура, Количество, Сумма, Цена,
///   СтавкаНДС, СуммаНДС, Содержание — in this order, XDTO checks it) in every version seen, 1.6
///   through 1.17; no version puts services in `Товары` with a flag.
/// - ВидОперации of `Документ.РеализацияТоваровУслуг` is `РеализацияКлиенту` in every version
///   seen (enumeration ВидыОперацийРеализацияТоваровУслуг). `ПродажаКомиссия` and `Услуги`, which
///   some integrations write, are values of 1C:Бухгалтерия's own enumeration
///   ВидыОперацийРеализацияТоваров (its OData and COM interfaces), not of EnterpriseData.
/// - СтавкаНДС is an enumeration value (`НДС20`, `БезНДС`…) up to 1.10 and a structure
///   (Ставка, РасчетнаяСтавка, НеОблагается, ВидСтавки) from 1.11 on.
/// - Валюта carries `Код` directly in 1.6 and `ДанныеКлассификатора/Код` from 1.8 on (1.8's
///   schema requires ДанныеКлассификатора; public 1.8 generators write it so).
/// - The enumeration СтавкиНДС of 1.6 and 1.8 ends at НДС20: those versions cannot carry 5 %, 7 %
///   or 2026's 22 %, and such an act is refused (`EnterpriseDataWriter.check`) rather than written
///   into a file 1C rejects. From 1.11 the rate is a number and carries any of them.
/// - The act's comment: 1.6 and 1.8 keep it in the document's own `Комментарий` (after
///   АдресДоставки, before Налогообложение: their published schemas, checked by xmllint in
///   EnterpriseDataSchemaTests); 1.11 on in `ОбщиеСвойстваОбъектовФормата/Комментарий`.
public struct EnterpriseDataVersion: Equatable, Sendable {
  /// How a version writes СтавкаНДС.
  public enum VATRateShape: Equatable, Sendable {
    /// `<СтавкаНДС>НДС20</СтавкаНДС>`: a value of the enumeration СтавкиНДС.
    case enumeration
    /// `<СтавкаНДС><Ставка>20</Ставка><РасчетнаяСтавка>false</РасчетнаяСтавка>
    /// <НеОблагается>false</НеОблагается><ВидСтавки>Общая</ВидСтавки></СтавкаНДС>`.
    case structure
  }

  /// How a version writes a currency reference (Валюта, ВалютаВзаиморасчетов).
  public enum CurrencyShape: Equatable, Sendable {
    /// `<Валюта><Код>643</Код><Наименование>руб.</Наименование></Валюта>`.
    case code
    /// `<Валюта><ДанныеКлассификатора><Код>643</Код>…</ДанныеКлассификатора></Валюта>`.
    case classifier
  }

  /// `"1.8"`.
  public let version: String
  /// The table of service lines.
  public let servicesTable: String
  /// ВидОперации of the document.
  public let operationKind: String
  public let vatRateShape: VATRateShape
  /// CRM rate (`"none"`, `"0"`, `"20"`…) → enumeration value, for `.enumeration`.
  public let vatRateNames: [String: String]
  /// CRM rate → ВидСтавки, for `.structure`.
  public let vatRateKinds: [String: String]
  public let currencyShape: CurrencyShape
  /// Where a version keeps the act's comment.
  public enum CommentPlace: Equatable, Sendable {
    /// `<Комментарий>` of the document itself, before Налогообложение (1.6, 1.8).
    case document
    /// `<ОбщиеСвойстваОбъектовФормата><Комментарий>` after the lines (1.11 on).
    case commonProperties
  }

  public let commentPlace: CommentPlace

  /// Whether the version's schema can carry this CRM rate (`"none"`, `"0"`, `"22"`…).
  public func carries(rate: String) -> Bool {
    let key = rate.trimmingCharacters(in: .whitespaces).lowercased()
    switch vatRateShape {
    case .enumeration: return EnterpriseDataFormat.isWithoutVAT(key) || vatRateNames[key] != nil
    case .structure: return true
    }
  }

  public init(
    version: String, servicesTable: String, operationKind: String, vatRateShape: VATRateShape,
    vatRateNames: [String: String], vatRateKinds: [String: String], currencyShape: CurrencyShape,
    commentPlace: CommentPlace
  ) {
    self.version = version
    self.servicesTable = servicesTable
    self.operationKind = operationKind
    self.vatRateShape = vatRateShape
    self.vatRateNames = vatRateNames
    self.vatRateKinds = vatRateKinds
    self.currencyShape = currencyShape
    self.commentPlace = commentPlace
  }

  /// `http://v8.1c.ru/edi/edi_stnd/EnterpriseData/<version>`: Format in the header and the
  /// namespace of Body.
  public var namespace: String { "http://v8.1c.ru/edi/edi_stnd/EnterpriseData/" + version }

  /// Enumeration СтавкиНДС as 1.6 and 1.8 publish it: the rates of their time. НДС5 and НДС7
  /// (simplified-tax payers, 2025) and НДС22 (from 2026) are not in it; acts with them go to 1.11+.
  public static let vatEnumeration: [String: String] = [
    "none": "БезНДС", "": "БезНДС", "0": "НДС0", "10": "НДС10", "18": "НДС18", "20": "НДС20",
  ]

  /// Enumeration ВидыСтавокНДС (1.11+). 5 % and 7 % are written as `Общая` with their Ставка, the
  /// way the public generators for simplified-tax payers do; the enumeration has no kind of its
  /// own for them in the schemas seen.
  public static let vatKinds: [String: String] = [
    "none": "БезНДС", "": "БезНДС", "0": "Нулевая", "5": "Общая", "7": "Общая", "10": "Пониженная",
    "20": "Общая", "22": "Общая",
  ]

  /// The versions this build writes, oldest first.
  public static let supported: [EnterpriseDataVersion] = [
    EnterpriseDataVersion(
      version: "1.6", servicesTable: "Услуги", operationKind: "РеализацияКлиенту",
      vatRateShape: .enumeration, vatRateNames: vatEnumeration, vatRateKinds: [:],
      currencyShape: .code, commentPlace: .document),
    EnterpriseDataVersion(
      version: "1.8", servicesTable: "Услуги", operationKind: "РеализацияКлиенту",
      vatRateShape: .enumeration, vatRateNames: vatEnumeration, vatRateKinds: [:],
      currencyShape: .classifier, commentPlace: .document),
    EnterpriseDataVersion(
      version: "1.11", servicesTable: "Услуги", operationKind: "РеализацияКлиенту",
      vatRateShape: .structure, vatRateNames: [:], vatRateKinds: vatKinds,
      currencyShape: .classifier, commentPlace: .commonProperties),
    EnterpriseDataVersion(
      version: "1.17", servicesTable: "Услуги", operationKind: "РеализацияКлиенту",
      vatRateShape: .structure, vatRateNames: [:], vatRateKinds: vatKinds,
      currencyShape: .classifier, commentPlace: .commonProperties),
  ]

  /// 1.17: the newest version current 1C:Бухгалтерия 3.0 releases (3.0.16x lists 1.3–1.8,
  /// 1.10–1.12, 1.15–1.17) accept for Документ.РеализацияТоваровУслуг, and one whose VAT rate is a
  /// number, so 2026's 22 % goes through. An older release (3.0.10x lists 1.3–1.8 and 1.10) needs
  /// `--format-version 1.8`, which refuses acts at 5, 7 or 22 %.
  public static let defaultVersion = supported[3]

  /// The supported version with this number (`"1.8"`, `" 1.17 "`); nil when not supported.
  public static func named(_ v: String) -> EnterpriseDataVersion? {
    let key = v.trimmingCharacters(in: .whitespaces)
    return supported.first { $0.version == key }
  }
}

// MARK: Writing

/// Writes acts as one EnterpriseData message for 1C:Бухгалтерия 3.0 ("Синхронизация данных" with
/// file transport, or "Загрузка из файла" of the universal format).
///
/// The document references the organisation, the counterparty, the contract, the currency and
/// the services by their key properties inside the document, as every public generator does;
/// no separate Справочник objects are sent, 1C finds or creates them from the key properties
/// (organisation and counterparty by ИНН/КПП, the contract by number and date, services by name).
public enum EnterpriseDataWriter {
  /// Refuses acts the version cannot carry (a VAT rate missing from its enumeration), naming the
  /// first such act and line, so no file 1C would reject is written.
  public static func check(
    acts: [ActExport], version: EnterpriseDataVersion, language l: Language
  ) throws(CRMError) {
    for act in acts {
      for line in act.lines where !version.carries(rate: line.vatRate) {
        let rate = line.vatRate.trimmingCharacters(in: .whitespaces)
        let newer = supported(carrying: rate).map(\.version).joined(separator: ", ")
        let name = EnterpriseDataText.line(line.name)
        throw CRMError.invalid(
          field: "format_version",
          problem: l.pick(
            "EnterpriseData \(version.version) cannot carry VAT \(rate) % (act № \(act.number) of \(act.date), «\(name)»): the version's list of rates lacks it; export with --format-version \(newer)",
            "EnterpriseData \(version.version) не передаёт НДС \(rate) % (акт № \(act.number) от \(act.date), «\(name)»): в списке ставок этой версии её нет; выгрузите с --format-version \(newer)"
          ))
      }
    }
  }

  private static func supported(carrying rate: String) -> [EnterpriseDataVersion] {
    EnterpriseDataVersion.supported.filter { $0.carries(rate: rate) }
  }

  /// The message namespace of the header.
  public static let messageNamespace = "http://www.1c.ru/SSL/Exchange/Message"
  /// The exchange plan named in msg:Confirmation.
  public static let exchangePlan = "СинхронизацияДанныхЧерезУниверсальныйФормат"

  /// A whole message: msg:Header (Format, CreationDate, Confirmation with ExchangePlan, To, From,
  /// MessageNo, ReceivedNo 0, then AvailableVersion for each supported version) and Body with one
  /// Документ.РеализацияТоваровУслуг per act, in the order given. UTF-8 with the XML declaration,
  /// LF line ends, every text escaped and cleaned of control characters; the same input gives the
  /// same bytes.
  public static func write(
    acts: [ActExport], version: EnterpriseDataVersion, messageNo: Int, createdAt: String,
    from: String, to: String
  ) -> Data {
    var x = XMLText()
    x.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
    x.open(
      "Message",
      attributes: [
        ("xmlns:msg", messageNamespace), ("xmlns:xs", "http://www.w3.org/2001/XMLSchema"),
        ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
      ])
    x.open("msg:Header")
    x.leaf("msg:Format", version.namespace)
    x.leaf("msg:CreationDate", createdAt)
    x.open("msg:Confirmation")
    x.leaf("msg:ExchangePlan", exchangePlan)
    x.leaf("msg:To", to)
    x.leaf("msg:From", from)
    x.leaf("msg:MessageNo", String(messageNo))
    x.leaf("msg:ReceivedNo", "0")
    x.close("msg:Confirmation")
    for v in EnterpriseDataVersion.supported { x.leaf("msg:AvailableVersion", v.version) }
    x.close("msg:Header")
    x.open("Body", attributes: [("xmlns", version.namespace)])
    for act in acts { document(act, version, into: &x) }
    x.close("Body")
    x.close("Message")
    return Data(x.text.utf8)
  }

  private static func document(
    _ act: ActExport, _ v: EnterpriseDataVersion, into x: inout XMLText
  ) {
    let digits = EnterpriseDataFormat.minorDigits(act.currencyCode)
    func money(_ minor: Int64) -> String { EnterpriseDataFormat.amount(minor, digits: digits) }

    x.open("Документ.РеализацияТоваровУслуг")
    x.open("КлючевыеСвойства")
    x.leaf("Ссылка", EnterpriseDataRef.act(act.id))
    x.leaf("Дата", EnterpriseDataText.line(act.date) + "T00:00:00")
    x.leaf("Номер", act.number)
    party("Организация", act.organization, ref: nil, into: &x)
    x.close("КлючевыеСвойства")
    x.leaf("ВидОперации", v.operationKind)
    currency("Валюта", act.currencyCode, v, into: &x)
    x.leaf("Сумма", money(act.total))
    x.leaf("СуммаВключаетНДС", act.sumIncludesVAT ? "true" : "false")
    let counterpartyRef = EnterpriseDataRef.counterparty(act.counterpartyID)
    party("Контрагент", act.counterparty, ref: counterpartyRef, into: &x)

    x.open("ДанныеВзаиморасчетов")
    let settlement = act.contract?.currencyCode ?? act.currencyCode
    if let c = act.contract {
      x.open("Договор")
      x.leaf("Ссылка", EnterpriseDataRef.contract(act.counterpartyID, c))
      x.leaf("ВидДоговора", "СПокупателем")
      party("Организация", act.organization, ref: nil, into: &x)
      party("Контрагент", act.counterparty, ref: counterpartyRef, into: &x)
      currency("ВалютаВзаиморасчетов", c.currencyCode, v, into: &x)
      x.leaf("РасчетыВУсловныхЕдиницах", c.conventionalUnits ? "true" : "false")
      let number = EnterpriseDataText.line(c.number)
      x.leaf("Наименование", "№ \(number) от \(EnterpriseDataFormat.russianDate(c.date))")
      x.leaf("Дата", c.date)
      x.leaf("Номер", number)
      x.close("Договор")
    }
    currency("ВалютаВзаиморасчетов", settlement, v, into: &x)
    x.leaf("КурсВзаиморасчетов", act.contract?.rate.map { "\($0)" } ?? "1")
    x.leaf("КратностьВзаиморасчетов", "1")
    x.leaf("РасчетыВУсловныхЕдиницах", act.contract?.conventionalUnits == true ? "true" : "false")
    x.close("ДанныеВзаиморасчетов")

    let comment = EnterpriseDataText.multiline(act.comment)
    if v.commentPlace == .document && !comment.isEmpty {
      x.leaf("Комментарий", comment, multiline: true)
    }

    let taxed = act.lines.contains { !EnterpriseDataFormat.isWithoutVAT($0.vatRate) }
    x.leaf("Налогообложение", taxed ? "ПродажаОблагаетсяНДС" : "ПродажаНеОблагаетсяНДС")

    if !act.lines.isEmpty {
      let period = EnterpriseDataFormat.period(act.periodFrom, act.periodTo)
      x.open(v.servicesTable)
      for line in act.lines {
        let name = EnterpriseDataText.line(line.name)
        x.open("Строка")
        x.open("Номенклатура")
        x.leaf("Ссылка", EnterpriseDataRef.service(name))
        x.leaf("НаименованиеПолное", name)
        x.leaf("Наименование", name)
        x.close("Номенклатура")
        x.leaf("Количество", EnterpriseDataFormat.quantity(line.quantityThousandths))
        x.leaf("Сумма", money(line.sum))
        x.leaf("Цена", money(line.price))
        vatRate(line.vatRate, v, into: &x)
        x.leaf("СуммаНДС", money(line.vat))
        x.leaf("Содержание", period.isEmpty ? name : name + " " + period)
        x.close("Строка")
      }
      x.close(v.servicesTable)
    }

    if v.commentPlace == .commonProperties && !comment.isEmpty {
      x.open("ОбщиеСвойстваОбъектовФормата")
      x.leaf("Комментарий", comment, multiline: true)
      x.close("ОбщиеСвойстваОбъектовФормата")
    }
    x.close("Документ.РеализацияТоваровУслуг")
  }

  /// Организация or Контрагент: Ссылка, Наименование, НаименованиеПолное (counterparty only),
  /// ИНН and КПП when known, ЮридическоеФизическоеЛицо — the order of the schema.
  private static func party(_ tag: String, _ p: ActParty, ref: String?, into x: inout XMLText) {
    let name = EnterpriseDataText.line(p.name)
    x.open(tag)
    if let ref { x.leaf("Ссылка", ref) }
    x.leaf("Наименование", name)
    if ref != nil { x.leaf("НаименованиеПолное", name) }
    let inn = EnterpriseDataText.line(p.inn)
    let kpp = EnterpriseDataText.line(p.kpp)
    if !inn.isEmpty { x.leaf("ИНН", inn) }
    if !kpp.isEmpty { x.leaf("КПП", kpp) }
    x.leaf("ЮридическоеФизическоеЛицо", p.isPerson ? "ФизическоеЛицо" : "ЮридическоеЛицо")
    x.close(tag)
  }

  private static func currency(
    _ tag: String, _ code: String, _ v: EnterpriseDataVersion, into x: inout XMLText
  ) {
    let letters = EnterpriseDataText.line(code).uppercased()
    let numeric = ISOCurrencyNumbers.numeric[letters] ?? letters
    let name = letters == "RUB" ? "руб." : letters
    x.open(tag)
    switch v.currencyShape {
    case .code:
      x.leaf("Код", numeric)
      x.leaf("Наименование", name)
    case .classifier:
      x.open("ДанныеКлассификатора")
      x.leaf("Код", numeric)
      x.leaf("Наименование", name)
      x.close("ДанныеКлассификатора")
    }
    x.close(tag)
  }

  private static func vatRate(_ rate: String, _ v: EnterpriseDataVersion, into x: inout XMLText) {
    let key = rate.trimmingCharacters(in: .whitespaces).lowercased()
    let none = EnterpriseDataFormat.isWithoutVAT(key)
    switch v.vatRateShape {
    case .enumeration:
      x.leaf("СтавкаНДС", v.vatRateNames[key] ?? (none ? "БезНДС" : "НДС" + key))
    case .structure:
      x.open("СтавкаНДС")
      if !none { x.leaf("Ставка", key) }
      x.leaf("РасчетнаяСтавка", "false")
      x.leaf("НеОблагается", none ? "true" : "false")
      x.leaf("ВидСтавки", v.vatRateKinds[key] ?? (none ? "БезНДС" : "Общая"))
      x.close("СтавкаНДС")
    }
  }
}

// MARK: Support shared by the writer, the reader and the CSV

/// ISO 4217 numeric codes, which 1C keeps as the Код of a currency.
public enum ISOCurrencyNumbers {
  /// Letters → three digits, for every currency in `Currency.known`.
  public static let numeric: [String: String] = [
    "RUB": "643", "USD": "840", "EUR": "978", "CNY": "156", "KZT": "398", "BYN": "933",
    "UZS": "860", "AMD": "051", "KGS": "417", "TRY": "949", "AED": "784", "GBP": "826",
    "CHF": "756", "INR": "356", "JPY": "392",
  ]

  /// Three digits → letters; also accepts letters and the old rouble code 810.
  public static func letters(_ code: String) -> String? {
    let c = code.trimmingCharacters(in: .whitespaces).uppercased()
    if c == "810" { return "RUB" }
    if numeric[c] != nil { return c }
    return numeric.first { $0.value == c }?.key
  }
}

/// Text as EnterpriseData and the CSV carry it.
enum EnterpriseDataText {
  /// A one-line value: tabs and line breaks become spaces, other control characters (C0, DEL,
  /// C1, U+FFFE, U+FFFF) are dropped, spaces at the ends trimmed.
  static func line(_ s: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in s.unicodeScalars {
      let v = scalar.value
      if v == 0x09 || v == 0x0A || v == 0x0D || v == 0x2028 || v == 0x2029 {
        out.append(" ")
      } else if !isDropped(v) {
        out.append(scalar)
      }
    }
    return String(out).trimmingSpaces()
  }

  /// A multi-line value (a comment): CRLF and CR become LF, tabs stay, other control characters
  /// are dropped, blank space at the ends trimmed.
  static func multiline(_ s: String) -> String {
    let unified = s.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
      of: "\r", with: "\n")
    var out = String.UnicodeScalarView()
    for scalar in unified.unicodeScalars {
      let v = scalar.value
      if v == 0x09 || v == 0x0A || !isDropped(v) { out.append(scalar) }
    }
    return String(out).trimmingSpaces()
  }

  private static func isDropped(_ v: UInt32) -> Bool {
    v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF
  }

  /// Element content with `& < > " '` as entities.
  static func escape(_ s: String) -> String { escapeMarkup(s, apostrophe: "&apos;") }
}

/// Numbers and dates as EnterpriseData and the CSV carry them.
enum EnterpriseDataFormat {
  /// Minor-unit digits of a currency this build knows; 2 for any other.
  static func minorDigits(_ code: String) -> Int { Currency.named(code)?.minorDigits ?? 2 }

  /// `120000.00` for 12000000 minor units with 2 digits; `-5.10`; `1200` with 0 digits.
  static func amount(_ minor: Int64, digits: Int) -> String {
    let sign = minor < 0 ? "-" : ""
    let m = minor.magnitude
    guard digits > 0 else { return sign + String(m) }
    var scale: UInt64 = 1
    for _ in 0..<digits { scale *= 10 }
    let frac = String(m % scale)
    return sign + String(m / scale) + "."
      + String(repeating: "0", count: digits - frac.count) + frac
  }

  /// `1`, `2.5`, `0.125` for 1000, 2500, 125 thousandths.
  static func quantity(_ thousandths: Int64) -> String {
    let sign = thousandths < 0 ? "-" : ""
    let m = thousandths.magnitude
    var frac = String(m % 1000)
    frac = String(repeating: "0", count: 3 - frac.count) + frac
    while frac.hasSuffix("0") { frac.removeLast() }
    return sign + String(m / 1000) + (frac.isEmpty ? "" : "." + frac)
  }

  /// `dd.MM.yyyy` from `yyyy-MM-dd`; anything else unchanged (cleaned).
  static func russianDate(_ iso: String) -> String {
    let s = EnterpriseDataText.line(iso)
    let p = s.split(separator: "-", omittingEmptySubsequences: false)
    guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
      p.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } })
    else { return s }
    return "\(p[2]).\(p[1]).\(p[0])"
  }

  /// `за период с 01.11.2026 по 30.11.2026`, `за период с 01.11.2026`, or empty.
  static func period(_ from: String?, _ to: String?) -> String {
    let f = from.map(EnterpriseDataText.line) ?? ""
    let t = to.map(EnterpriseDataText.line) ?? ""
    switch (f.isEmpty, t.isEmpty) {
    case (false, false): return "за период с \(russianDate(f)) по \(russianDate(t))"
    case (false, true): return "за период с \(russianDate(f))"
    case (true, false): return "за период по \(russianDate(t))"
    case (true, true): return ""
    }
  }

  static func isWithoutVAT(_ rate: String) -> Bool {
    let r = rate.trimmingCharacters(in: .whitespaces).lowercased()
    return r.isEmpty || r == "none"
  }
}

/// Stable Ссылка values: name-based UUIDs (RFC 4122 version 5, SHA-1) in the URL namespace, so
/// the same CRM object gets the same UUID in every export and 1C updates instead of duplicating.
/// `uuid.uuid5(uuid.NAMESPACE_URL, "termcrm-act-42")` in Python gives the same value.
public enum EnterpriseDataRef {
  /// `termcrm-act-<id>`.
  public static func act(_ id: Int64) -> String { uuid5("termcrm-act-\(id)") }
  /// `termcrm-client-<id>`.
  public static func counterparty(_ id: Int64) -> String { uuid5("termcrm-client-\(id)") }
  /// `termcrm-contract-<client id>-<number>-<date>`.
  public static func contract(_ counterpartyID: Int64, _ c: ActContractRef) -> String {
    uuid5(
      "termcrm-contract-\(counterpartyID)-\(EnterpriseDataText.line(c.number))-\(c.date)")
  }
  /// `termcrm-service-<name>`.
  public static func service(_ name: String) -> String { uuid5("termcrm-service-" + name) }

  /// NAMESPACE_URL, 6ba7b811-9dad-11d1-80b4-00c04fd430c8.
  private static let namespace: [UInt8] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
  ]

  /// Lowercase 8-4-4-4-12 UUID version 5 of `name` (UTF-8) in the URL namespace.
  public static func uuid5(_ name: String) -> String {
    var bytes = Array(SHA1.digest(namespace + Array(name.utf8)).prefix(16))
    bytes[6] = (bytes[6] & 0x0F) | 0x50
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    let hex = bytes.map { b -> String in
      let s = String(b, radix: 16)
      return s.count == 1 ? "0" + s : s
    }
    return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
  }
}

/// SHA-1 (FIPS 180-4), only for name-based UUIDs: Foundation on Linux has no digest API.
enum SHA1 {
  static func digest(_ message: [UInt8]) -> [UInt8] {
    var h: [UInt32] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
    var m = message
    let bits = UInt64(message.count) * 8
    m.append(0x80)
    while m.count % 64 != 56 { m.append(0) }
    for i in (0..<8).reversed() { m.append(UInt8(truncatingIfNeeded: bits >> (UInt64(i) * 8))) }
    func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }
    var w = [UInt32](repeating: 0, count: 80)
    for chunk in stride(from: 0, to: m.count, by: 64) {
      for i in 0..<16 {
        let o = chunk + 4 * i
        w[i] =
          UInt32(m[o]) << 24 | UInt32(m[o + 1]) << 16 | UInt32(m[o + 2]) << 8 | UInt32(m[o + 3])
      }
      for i in 16..<80 { w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1) }
      var a = h[0]
      var b = h[1]
      var c = h[2]
      var d = h[3]
      var e = h[4]
      for i in 0..<80 {
        let f: UInt32
        let k: UInt32
        switch i {
        case 0..<20:
          f = (b & c) | (~b & d)
          k = 0x5A82_7999
        case 20..<40:
          f = b ^ c ^ d
          k = 0x6ED9_EBA1
        case 40..<60:
          f = (b & c) | (b & d) | (c & d)
          k = 0x8F1B_BCDC
        default:
          f = b ^ c ^ d
          k = 0xCA62_C1D6
        }
        let t = rotl(a, 5) &+ f &+ e &+ k &+ w[i]
        e = d
        d = c
        c = rotl(b, 30)
        b = a
        a = t
      }
      h[0] &+= a
      h[1] &+= b
      h[2] &+= c
      h[3] &+= d
      h[4] &+= e
    }
    return h.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * UInt32($0))) } }
  }
}

/// An indented XML text built element by element, two spaces a level, LF line ends.
struct XMLText {
  private(set) var text = ""
  private var depth = 0

  mutating func raw(_ line: String) { text += line + "\n" }

  mutating func open(_ name: String, attributes: [(String, String)] = []) {
    var s = indent + "<" + name
    for (k, v) in attributes { s += " \(k)=\"\(EnterpriseDataText.escape(v))\"" }
    raw(s + ">")
    depth += 1
  }

  mutating func close(_ name: String) {
    depth -= 1
    raw(indent + "</" + name + ">")
  }

  /// `<name>text</name>` with the text cleaned (one line, or lines kept when `multiline`) and
  /// escaped.
  mutating func leaf(_ name: String, _ value: String, multiline: Bool = false) {
    let clean = multiline ? EnterpriseDataText.multiline(value) : EnterpriseDataText.line(value)
    raw(indent + "<" + name + ">" + EnterpriseDataText.escape(clean) + "</" + name + ">")
  }

  private var indent: String { String(repeating: "  ", count: depth) }
}

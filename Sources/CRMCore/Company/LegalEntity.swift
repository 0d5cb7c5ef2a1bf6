import Foundation

/// One of our own legal entities (an ООО or an ИП) as it appears on invoices, offers, acts and
/// contracts: names, state registration numbers, addresses, the bank account clients pay to, the
/// people who sign, contacts, and optional PNG images (logo, stamp, signatures).
///
/// This is the shape shared by storage (`context.companies`), the admin's form, `crm company …`
/// and every printed form (text, HTML, PDF, the payment QR code).
public struct LegalEntity: Equatable, Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    /// A company (ООО, АО, …): ИНН of 10 digits, КПП, ОГРН of 13.
    case organization
    /// An individual entrepreneur (ИП): ИНН of 12 digits, no КПП, ОГРНИП of 15.
    case entrepreneur
  }

  public var id: Int64?
  public var kind: Kind
  /// «Общество с ограниченной ответственностью «Северный Ветер»».
  public var fullName: String
  /// «ООО «Северный Ветер»»: what most forms print.
  public var shortName: String
  public var inn: String
  public var kpp: String
  /// ОГРН (13 digits) or ОГРНИП (15 digits).
  public var ogrn: String
  public var legalAddress: String
  public var postalAddress: String
  // The bank account clients pay to.
  public var bankName: String
  public var bik: String
  /// Корреспондентский счёт of the bank (20 digits, 301…).
  public var corrAccount: String
  /// Расчётный счёт (20 digits, its key checked against the БИК).
  public var account: String
  // Who signs: «Генеральный директор» Иванов И. И.; «Главный бухгалтер» Петрова А. А.
  public var directorTitle: String
  public var directorName: String
  public var accountantTitle: String
  public var accountantName: String
  public var phone: String
  public var email: String
  public var site: String
  public var logoPNG: Data?
  public var stampPNG: Data?
  public var directorSignaturePNG: Data?
  public var accountantSignaturePNG: Data?
  /// The entity documents come from when none is named.
  public var isDefault: Bool
  /// The company's own wording of the free-text parts of its forms; an empty one prints the
  /// standard wording of the document's language.
  public var wording: Wording = Wording()

  /// Free-text parts of the forms a company may word its own way.
  public struct Wording: Equatable, Sendable {
    /// Under an invoice: «Оплата данного счёта означает согласие с условиями поставки товара…».
    public var invoiceFooter: String
    /// Before an offer's lines: «Благодарим за интерес к нашей компании…».
    public var offerIntro: String
    /// After an offer's totals: terms of delivery and payment.
    public var offerTerms: String
    /// An act's statement: «Вышеперечисленные услуги выполнены полностью и в срок…».
    public var actStatement: String

    public init(
      invoiceFooter: String = "", offerIntro: String = "", offerTerms: String = "",
      actStatement: String = ""
    ) {
      self.invoiceFooter = invoiceFooter
      self.offerIntro = offerIntro
      self.offerTerms = offerTerms
      self.actStatement = actStatement
    }
  }

  public init(
    id: Int64? = nil, kind: Kind = .organization, fullName: String = "", shortName: String = "",
    inn: String = "", kpp: String = "", ogrn: String = "", legalAddress: String = "",
    postalAddress: String = "", bankName: String = "", bik: String = "", corrAccount: String = "",
    account: String = "", directorTitle: String = "", directorName: String = "",
    accountantTitle: String = "", accountantName: String = "", phone: String = "",
    email: String = "", site: String = "", logoPNG: Data? = nil, stampPNG: Data? = nil,
    directorSignaturePNG: Data? = nil, accountantSignaturePNG: Data? = nil, isDefault: Bool = false
  ) {
    self.id = id
    self.kind = kind
    self.fullName = fullName
    self.shortName = shortName
    self.inn = inn
    self.kpp = kpp
    self.ogrn = ogrn
    self.legalAddress = legalAddress
    self.postalAddress = postalAddress
    self.bankName = bankName
    self.bik = bik
    self.corrAccount = corrAccount
    self.account = account
    self.directorTitle = directorTitle
    self.directorName = directorName
    self.accountantTitle = accountantTitle
    self.accountantName = accountantName
    self.phone = phone
    self.email = email
    self.site = site
    self.logoPNG = logoPNG
    self.stampPNG = stampPNG
    self.directorSignaturePNG = directorSignaturePNG
    self.accountantSignaturePNG = accountantSignaturePNG
    self.isDefault = isDefault
  }
}

import Foundation

/// A company or a person we sell to.
public enum ClientKind: String, Codable, Sendable, CaseIterable {
  case company
  case person

  /// As forms, cards and the merge preview show it.
  public func name(_ l: Language) -> String {
    self == .company ? l.pick("company", "организация") : l.pick("person", "физлицо")
  }
}

/// A phone as typed (extension included) and its E.164 form: nil when the typed text is not a
/// valid number in the region it was read for (see `PhoneNumber`); the typed text is kept then.
public struct Phone: Codable, Equatable, Sendable {
  public var raw: String
  public var e164: String?

  /// `raw` read as dialled in Russia (`PhoneNumber.defaultRegion`).
  public init(_ raw: String) {
    self.init(raw, region: PhoneNumber.defaultRegion)
  }

  /// `raw` read as dialled in `region` (ISO 3166 code, e.g. "DE").
  public init(_ raw: String, region: String) {
    self.raw = raw
    self.e164 = PhoneNumber.e164(raw, region: region)
  }

  /// A phone whose E.164 form is already known (read back from the base or our own export).
  public init(raw: String, e164: String?) {
    self.raw = raw
    self.e164 = e164
  }
}

/// A bank account of a client: БИК, settlement account (р/с), correspondent account (к/с), bank.
public struct BankAccount: Codable, Equatable, Sendable {
  public var bik: String
  public var account: String
  public var corrAccount: String
  public var bankName: String

  public init(
    bik: String = "", account: String = "", corrAccount: String = "", bankName: String = ""
  ) {
    self.bik = bik
    self.account = account
    self.corrAccount = corrAccount
    self.bankName = bankName
  }

  public var isEmpty: Bool {
    bik.isEmpty && account.isEmpty && corrAccount.isEmpty && bankName.isEmpty
  }
}

/// A client with everything that belongs to it except contact persons, which have their own history.
public struct Client: Codable, Equatable, Sendable {
  public var id: Int64?
  public var kind: ClientKind
  public var name: String
  public var legalForm: String
  public var inn: String
  public var kpp: String
  public var ogrn: String
  public var phones: [Phone]
  public var emails: [String]
  public var website: String
  public var city: String
  public var legalAddress: String
  public var actualAddress: String
  public var postalAddress: String
  public var bankAccounts: [BankAccount]
  public var leadSource: String
  public var segment: String
  public var ownerId: Int64?
  public var tags: [String]
  public var notes: String
  public var createdAt: Date?
  public var updatedAt: Date?
  public var deletedAt: Date?
  public var lastContactAt: Date?
  /// The row version the value was loaded at (bumped by every update); an update carrying it
  /// is refused when the row changed meanwhile (`CRMError.conflict`). Nil: not checked.
  public var version: Int64?

  public init(
    id: Int64? = nil, kind: ClientKind = .company, name: String, legalForm: String = "",
    inn: String = "", kpp: String = "", ogrn: String = "", phones: [Phone] = [],
    emails: [String] = [], website: String = "", city: String = "", legalAddress: String = "",
    actualAddress: String = "", postalAddress: String = "", bankAccounts: [BankAccount] = [],
    leadSource: String = "", segment: String = "", ownerId: Int64? = nil, tags: [String] = [],
    notes: String = ""
  ) {
    self.id = id
    self.kind = kind
    self.name = name
    self.legalForm = legalForm
    self.inn = inn
    self.kpp = kpp
    self.ogrn = ogrn
    self.phones = phones
    self.emails = emails
    self.website = website
    self.city = city
    self.legalAddress = legalAddress
    self.actualAddress = actualAddress
    self.postalAddress = postalAddress
    self.bankAccounts = bankAccounts
    self.leadSource = leadSource
    self.segment = segment
    self.ownerId = ownerId
    self.tags = tags
    self.notes = notes
  }

  /// The name with its legal form, as people say it: `ООО «Ромашка»`.
  public var displayName: String { Client.displayName(name: name, legalForm: legalForm) }

  /// Russian forms go first with the name in «»: `ООО «Ромашка»`; Latin ones after: `Acme Ltd`.
  /// A client's name inside a sentence: `«Иванов Иван»`, but `ООО «Ромашка»` as it is (its
  /// guillemets are already there, never doubled).
  public static func quoted(_ display: String) -> String {
    display.contains("«") ? display : "«\(display)»"
  }

  /// Quotes stored around the name (data from before names were normalized) are not doubled.
  public static func displayName(name stored: String, legalForm: String) -> String {
    let name =
      stored.first.map { ClientName.pairs[$0] != nil } ?? false
      ? ClientName.unquoted(stored) : stored
    if legalForm.isEmpty { return name }
    if legalForm.unicodeScalars.allSatisfy(\.isASCII) { return "\(name) \(legalForm)" }
    if legalForm == "ИП" { return "ИП \(name)" }
    return "\(legalForm) «\(name)»"
  }
}

/// A person at a client we talk to.
public struct ContactPerson: Codable, Equatable, Sendable {
  public var id: Int64?
  public var clientId: Int64
  public var name: String
  public var position: String
  public var phones: [Phone]
  public var emails: [String]
  /// `YYYY-MM-DD`, or empty.
  public var birthday: String
  public var notes: String
  public var deletedAt: Date?
  /// The row version the value was loaded at (bumped by every update); an update carrying it
  /// is refused when the row changed meanwhile (`CRMError.conflict`). Nil: not checked.
  public var version: Int64?

  public init(
    id: Int64? = nil, clientId: Int64, name: String, position: String = "", phones: [Phone] = [],
    emails: [String] = [], birthday: String = "", notes: String = ""
  ) {
    self.id = id
    self.clientId = clientId
    self.name = name
    self.position = position
    self.phones = phones
    self.emails = emails
    self.birthday = birthday
    self.notes = notes
  }
}

import Foundation

/// Checks and cleans our legal entity's requisites with their check digits: ИНН (10 digits for
/// an organisation, 12 for an ИП), КПП (organisations only), ОГРН (13) / ОГРНИП (15), БИК, the
/// корр. счёт (301…, keyed with the БИК's digits 5–6) and the расчётный счёт (keyed with the
/// БИК's last three digits). Empty fields pass (an admin fills the form in parts); what a
/// printed form needs is `missing(_:for:)`. Problems name the field in the user's language.
public struct LegalEntityValidator: Sendable {
  public let language: Language

  public init(language: Language) { self.language = language }

  /// The field names of `CompanyService.fields`, as the form and messages show them.
  public func fieldName(_ key: String) -> String {
    let l = language
    switch key {
    case "kind": return l.pick("Kind", "Вид")
    case "full_name": return l.pick("Full name", "Полное наименование")
    case "short_name": return l.pick("Short name", "Краткое наименование")
    case "inn": return l.pick("INN", "ИНН")
    case "kpp": return l.pick("KPP", "КПП")
    case "ogrn": return l.pick("OGRN", "ОГРН")
    case "ogrnip": return l.pick("OGRNIP", "ОГРНИП")
    case "legal_address": return l.pick("Legal address", "Юридический адрес")
    case "postal_address": return l.pick("Postal address", "Почтовый адрес")
    case "bank_name": return l.pick("Bank", "Банк")
    case "bik": return l.pick("BIC", "БИК")
    case "corr_account": return l.pick("Corr. account", "Корр. счёт")
    case "account": return l.pick("Account", "Расчётный счёт")
    case "director_title": return l.pick("Director's title", "Должность руководителя")
    case "director_name": return l.pick("Director", "Руководитель")
    case "accountant_title": return l.pick("Accountant's title", "Должность бухгалтера")
    case "accountant_name": return l.pick("Chief accountant", "Главный бухгалтер")
    case "phone": return l.pick("Phone", "Телефон")
    case "email": return l.pick("E-mail", "E-mail")
    case "site": return l.pick("Site", "Сайт")
    case "invoice_footer": return l.pick("Invoice footer", "Текст под счётом")
    case "offer_intro": return l.pick("Offer introduction", "Вступление КП")
    case "offer_terms": return l.pick("Offer terms", "Условия КП")
    case "act_statement": return l.pick("Act statement", "Текст акта")
    default: return key
    }
  }

  func fail(_ key: String, _ en: String, _ ru: String) -> CRMError {
    .invalid(field: fieldName(key), problem: language.pick(en, ru))
  }

  /// One line, control characters dropped, at most `max` characters.
  func line(_ value: String, _ key: String, max: Int = 500) throws(CRMError) -> String {
    let clean = TextFold.sanitizeLine(value).trimmingSpaces()
    if clean.count > max {
      throw fail(
        key, "too long (\(clean.count) characters, at most \(max))",
        "слишком длинно (\(clean.count) символов, не больше \(max))")
    }
    return clean
  }

  /// Digits only (spaces and dashes typed between them dropped).
  func digits(_ value: String, _ key: String) throws(CRMError) -> String {
    let s = String(value.filter { $0 != " " && $0 != "-" && $0 != "\u{00A0}" })
    if !s.isEmpty && Requisites.digits(s) == nil {
      throw fail(key, "only digits are allowed", "допустимы только цифры")
    }
    return s
  }

  /// Free text of several lines (the forms' own wording), at most 2000 characters.
  func text(_ value: String, _ key: String) throws(CRMError) -> String {
    let lines = value.split(separator: "\n", omittingEmptySubsequences: false).map {
      TextFold.sanitizeLine(String($0))
    }
    let clean = lines.joined(separator: "\n").trimmingSpaces()
    if clean.count > 2000 {
      throw fail(
        key, "too long (\(clean.count) characters, at most 2000)",
        "слишком длинно (\(clean.count) символов, не больше 2000)")
    }
    return clean
  }

  /// The entity cleaned, or the first problem found.
  public func validate(_ input: LegalEntity) throws(CRMError) -> LegalEntity {
    var e = input
    let org = e.kind == .organization
    e.fullName = try line(e.fullName, "full_name")
    e.shortName = try line(e.shortName, "short_name", max: 200)
    e.inn = try digits(e.inn, "inn")
    if !e.inn.isEmpty {
      let want = org ? 10 : 12
      if e.inn.count != want {
        throw fail(
          "inn",
          "must be \(want) digits for \(org ? "an organisation" : "an entrepreneur"), not \(e.inn.count)",
          "должен состоять из \(want) цифр для \(org ? "организации" : "ИП"), а не из \(e.inn.count)"
        )
      }
      if !Requisites.isValidINN(e.inn) {
        throw fail("inn", "check digit does not match", "не сходится контрольная цифра")
      }
    }
    e.kpp = try line(e.kpp, "kpp", max: 20).uppercased()
    if !e.kpp.isEmpty {
      if !org {
        throw fail(
          "kpp", "an entrepreneur has no KPP; leave it empty",
          "у ИП нет КПП; оставьте поле пустым")
      }
      if !Requisites.isValidKPP(e.kpp) {
        throw fail(
          "kpp", "must be 9 characters: 4 digits, 2 digits or capital letters, 3 digits",
          "должен состоять из 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры")
      }
    }
    e.ogrn = try digits(e.ogrn, org ? "ogrn" : "ogrnip")
    if !e.ogrn.isEmpty {
      let want = org ? 13 : 15
      let key = org ? "ogrn" : "ogrnip"
      if e.ogrn.count != want {
        throw fail(
          key, "must be \(want) digits, not \(e.ogrn.count)",
          "должен состоять из \(want) цифр, а не из \(e.ogrn.count)")
      }
      if !Requisites.isValidOGRN(e.ogrn) {
        throw fail(key, "check digit does not match", "не сходится контрольная цифра")
      }
    }
    e.legalAddress = try line(e.legalAddress, "legal_address")
    e.postalAddress = try line(e.postalAddress, "postal_address")
    e.bankName = try line(e.bankName, "bank_name", max: 300)
    e.bik = try digits(e.bik, "bik")
    if !e.bik.isEmpty && !Requisites.isValidBIK(e.bik) {
      throw fail(
        "bik", "must be 9 digits, not \(e.bik.count)",
        "должен состоять из 9 цифр, а не из \(e.bik.count)")
    }
    e.corrAccount = try digits(e.corrAccount, "corr_account")
    e.account = try digits(e.account, "account")
    for (key, value, corr) in [
      ("corr_account", e.corrAccount, true), ("account", e.account, false),
    ]
    where !value.isEmpty {
      if value.count != 20 {
        throw fail(
          key, "must be 20 digits, not \(value.count)",
          "должен состоять из 20 цифр, а не из \(value.count)")
      }
      if corr && !value.hasPrefix("301") {
        throw fail(key, "must start with 301", "должен начинаться с 301")
      }
      if e.bik.isEmpty {
        throw fail(
          key, "enter the BIC first: the account's key is checked against it",
          "сначала укажите БИК: ключ счёта проверяется по нему")
      }
      let ok =
        corr
        ? Requisites.isValidCorrespondentAccount(value, bik: e.bik)
        : Requisites.isValidSettlementAccount(value, bik: e.bik)
      if !ok {
        throw fail(
          key, "the key does not match BIC \(e.bik)", "ключ счёта не сходится с БИК \(e.bik)")
      }
    }
    e.directorTitle = try line(e.directorTitle, "director_title", max: 200)
    e.directorName = try line(e.directorName, "director_name", max: 200)
    e.accountantTitle = try line(e.accountantTitle, "accountant_title", max: 200)
    e.accountantName = try line(e.accountantName, "accountant_name", max: 200)
    e.phone = try line(e.phone, "phone", max: 100)
    if !e.phone.isEmpty && PhoneNumber.e164(e.phone) == nil {
      throw fail("phone", "«\(e.phone)» is not a phone number", "«\(e.phone)» — не номер телефона")
    }
    e.email = try line(e.email, "email", max: 200)
    if !e.email.isEmpty && !EmailAddress.isValid(e.email) {
      throw fail("email", "«\(e.email)» is not an e-mail address", "«\(e.email)» — не адрес e-mail")
    }
    e.site = try line(e.site, "site", max: 200)
    e.wording.invoiceFooter = try text(e.wording.invoiceFooter, "invoice_footer")
    e.wording.offerIntro = try text(e.wording.offerIntro, "offer_intro")
    e.wording.offerTerms = try text(e.wording.offerTerms, "offer_terms")
    e.wording.actStatement = try text(e.wording.actStatement, "act_statement")
    return e
  }

  /// The fields `form` prints that `e` leaves empty, in the order of the form.
  public func missing(_ e: LegalEntity, for form: CompanyService.Document) -> [String] {
    let org = e.kind == .organization
    var need: [(String, String)] = []
    let name = e.shortName.isEmpty ? e.fullName : e.shortName
    need.append(("short_name", name))
    switch form {
    case .offer:
      break
    case .invoice, .contract:
      need += [("inn", e.inn)]
      if org { need.append(("kpp", e.kpp)) }
      need += [
        ("legal_address", e.legalAddress), ("bank_name", e.bankName), ("bik", e.bik),
        ("corr_account", e.corrAccount), ("account", e.account),
        ("director_name", e.directorName),
      ]
    case .act:
      need += [("inn", e.inn)]
      if org { need.append(("kpp", e.kpp)) }
      need += [("legal_address", e.legalAddress), ("director_name", e.directorName)]
    }
    return need.filter { $0.1.trimmingSpaces().isEmpty }.map(\.0)
  }
}

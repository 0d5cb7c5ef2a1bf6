import CRMCore
import Foundation

/// What one source column of a profile means: the field, and for address parts the address
/// they belong to (`#` stands for the number in the header: `Address 2 - City` is group
/// `address2`). A nil field is a column the profile knows and deliberately does not keep (a
/// salutation, a phonetic name): it is listed as ignored, never matched by the generic names.
struct ProfileColumn: Sendable {
  var field: ClientColumn?
  var group: String = ""
}

/// A kind of file we know by its header (Google Contacts, Outlook, Bitrix24…): the column
/// meanings it uses and how its rows are read. Columns a profile does not name are matched by
/// the generic Russian and English names (`ClientColumn.synonyms`).
public struct ImportProfile: Sendable, Equatable {
  /// A short machine name (`google`, `outlook_ru`, `bitrix24`…) for JSON.
  public let id: String
  let en: String
  let ru: String
  /// Headers (folded by `key`) that only this kind of file has; `need` of them must be there.
  let marks: Set<String>
  let need: Int
  let columns: [String: ProfileColumn]
  /// The file lists people (an address book, a CRM's contacts): a row's phones and e-mails are
  /// the person's, and go to the contact person when the row names a company too.
  let personCentric: Bool
  /// Names are written «Фамилия Имя Отчество» (Russian CRMs), not «First Middle Last».
  let surnameFirst: Bool

  public static func == (a: ImportProfile, b: ImportProfile) -> Bool { a.id == b.id }

  public func name(_ l: Language) -> String { l.pick(en, ru) }

  /// A header folded for profile tables: lower case, ё → е, letters only (digits, spaces and
  /// punctuation dropped: `E-mail 2 Address`, `Phone 1 - Value` → `emailaddress`, `phonevalue`).
  static func key(_ header: String) -> String {
    String(
      TextFold.key(header).unicodeScalars.filter { $0.properties.isAlphabetic }.map(
        Character.init))
  }

  /// The digits in a header (`Address 2 - City` → `2`), for address groups.
  static func number(_ header: String) -> String {
    String(header.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
  }

  /// A file we do not recognise: columns by their generic names.
  public static let generic = ImportProfile(
    id: "generic", en: "columns by name", ru: "колонки по названиям", marks: [], need: 1,
    columns: [:], personCentric: false, surnameFirst: false)

  /// The profile whose marks the header has most of (at least its `need`), or `generic`.
  static func recognise(_ header: [String]) -> ImportProfile {
    let keys = Set(header.map(key))
    var best = generic
    var bestCount = 0
    for p in all {
      let n = p.marks.intersection(keys).count
      if n >= p.need && n > bestCount {
        best = p
        bestCount = n
      }
    }
    return best
  }

  public static let all: [ImportProfile] = [
    googleOld, google, outlook, outlookRU, thunderbird, linkedin, apple, bitrix24, bitrix24Codes,
    amocrm, termcrm,
  ]
}

private func col(_ field: ClientColumn?, _ group: String = "") -> ProfileColumn {
  ProfileColumn(field: field, group: group)
}

/// Address parts of one group, under header keys `prefix + part`.
private func addressParts(
  _ prefix: String, group: String, street: [String] = ["street"], city: String = "city",
  region: [String] = ["region"], postcode: [String] = ["postalcode"],
  country: [String] = ["country"]
) -> [String: ProfileColumn] {
  var out: [String: ProfileColumn] = [:]
  for s in street { out[prefix + s] = col(.street, group) }
  out[prefix + city] = col(.city, group)
  for r in region { out[prefix + r] = col(.region, group) }
  for p in postcode { out[prefix + p] = col(.postcode, group) }
  for c in country { out[prefix + c] = col(.country, group) }
  return out
}

extension ImportProfile {
  /// Google Contacts, the format before 2024 (77 columns: `Given Name`, `E-mail 1 - Type`,
  /// `Organization 1 - Name`…).
  public static let googleOld: ImportProfile = {
    var c: [String: ProfileColumn] = [
      "name": col(.contact), "givenname": col(.firstName), "additionalname": col(.middleName),
      "familyname": col(.lastName), "yominame": col(nil), "givennameyomi": col(nil),
      "additionalnameyomi": col(nil), "familynameyomi": col(nil), "nameprefix": col(nil),
      "namesuffix": col(nil), "initials": col(nil), "nickname": col(.extra),
      "shortname": col(nil), "maidenname": col(.extra), "birthday": col(.birthday),
      "gender": col(nil), "location": col(.extra), "billinginformation": col(.extra),
      "directoryserver": col(nil), "mileage": col(nil), "occupation": col(.extra),
      "hobby": col(nil), "sensitivity": col(nil), "priority": col(nil), "subject": col(nil),
      "notes": col(.notes), "language": col(nil), "photo": col(nil),
      "groupmembership": col(.tags), "emailtype": col(nil), "emailvalue": col(.email),
      "imtype": col(nil), "imservice": col(nil), "imvalue": col(.extra), "phonetype": col(nil),
      "phonevalue": col(.phone), "addresstype": col(nil),
      "addressformatted": col(.address, "address#"), "addresspobox": col(.street, "address#"),
      "addressextendedaddress": col(.street, "address#"), "organizationtype": col(nil),
      "organizationname": col(.name), "organizationyominame": col(nil),
      "organizationtitle": col(.position), "organizationdepartment": col(.extra),
      "organizationsymbol": col(nil), "organizationlocation": col(nil),
      "organizationjobdescription": col(.extra), "websitetype": col(nil),
      "websitevalue": col(.website), "relationtype": col(nil), "relationvalue": col(.extra),
      "eventtype": col(nil), "eventvalue": col(.extra), "customfieldtype": col(nil),
      "customfieldvalue": col(.extra), "externalidtype": col(nil), "externalidvalue": col(nil),
      "jottype": col(nil), "jotvalue": col(.extra),
    ]
    c.merge(addressParts("address", group: "address#"), uniquingKeysWith: { a, _ in a })
    return ImportProfile(
      id: "google_old", en: "Google Contacts (old format)", ru: "Google Контакты (старый формат)",
      marks: ["givenname", "familyname", "additionalname", "yominame", "groupmembership"],
      need: 2, columns: c, personCentric: true, surnameFirst: false)
  }()

  /// Google Contacts since 2024 (`First Name`, `Organization Name`, `E-mail 1 - Label`…).
  public static let google: ImportProfile = {
    var c: [String: ProfileColumn] = [
      "firstname": col(.firstName), "middlename": col(.middleName), "lastname": col(.lastName),
      "phoneticfirstname": col(nil), "phoneticmiddlename": col(nil),
      "phoneticlastname": col(nil), "nameprefix": col(nil), "namesuffix": col(nil),
      "nickname": col(.extra), "fileas": col(nil), "organizationname": col(.name),
      "organizationtitle": col(.position), "organizationdepartment": col(.extra),
      "birthday": col(.birthday), "notes": col(.notes), "photo": col(nil), "labels": col(.tags),
      "emaillabel": col(nil), "emailvalue": col(.email), "phonelabel": col(nil),
      "phonevalue": col(.phone), "addresslabel": col(nil),
      "addressformatted": col(.address, "address#"), "addresspobox": col(.street, "address#"),
      "addressextendedaddress": col(.street, "address#"), "websitelabel": col(nil),
      "websitevalue": col(.website), "relationlabel": col(nil), "relationvalue": col(.extra),
      "eventlabel": col(nil), "eventvalue": col(.extra), "customfieldlabel": col(nil),
      "customfieldvalue": col(.extra), "imlabel": col(nil), "imservice": col(nil),
      "imvalue": col(.extra),
    ]
    c.merge(addressParts("address", group: "address#"), uniquingKeysWith: { a, _ in a })
    return ImportProfile(
      id: "google", en: "Google Contacts", ru: "Google Контакты",
      marks: [
        "fileas", "phoneticfirstname", "organizationname", "organizationtitle", "phonelabel",
        "emaillabel", "labels",
      ], need: 2, columns: c, personCentric: true, surnameFirst: false)
  }()

  /// Microsoft Outlook's CSV export, English headers.
  public static let outlook: ImportProfile = {
    var c: [String: ProfileColumn] = [
      "title": col(nil), "firstname": col(.firstName), "middlename": col(.middleName),
      "lastname": col(.lastName), "suffix": col(nil), "company": col(.name),
      "department": col(.extra), "jobtitle": col(.position),
      "businessaddresspobox": col(.street, "business"), "homeaddresspobox": col(.street, "home"),
      "otheraddresspobox": col(.street, "other"), "assistantsphone": col(.extra),
      "businessfax": col(.extra), "businessphone": col(.phone), "callback": col(.extra),
      "carphone": col(.phone), "companymainphone": col(.phone), "homefax": col(.extra),
      "homephone": col(.phone), "isdn": col(.extra), "mobilephone": col(.phone),
      "otherfax": col(.extra), "otherphone": col(.phone), "pager": col(.extra),
      "primaryphone": col(.phone), "radiophone": col(.phone), "ttytddphone": col(.extra),
      "telex": col(.extra), "account": col(nil), "anniversary": col(.extra),
      "assistantsname": col(.extra), "billinginformation": col(nil), "birthday": col(.birthday),
      "categories": col(.tags), "children": col(nil), "directoryserver": col(nil),
      "emailaddress": col(.email), "emailtype": col(nil), "emaildisplayname": col(nil),
      "gender": col(nil), "governmentidnumber": col(nil), "hobby": col(nil),
      "initials": col(nil), "internetfreebusy": col(nil), "keywords": col(nil),
      "language": col(nil), "location": col(nil), "managersname": col(.extra),
      "mileage": col(nil), "notes": col(.notes), "officelocation": col(.extra),
      "organizationalidnumber": col(nil), "pobox": col(nil), "priority": col(nil),
      "private": col(nil), "profession": col(.extra), "referredby": col(.source),
      "sensitivity": col(nil), "spouse": col(nil), "user": col(nil), "webpage": col(.website),
    ]
    for (prefix, group) in [("business", "business"), ("home", "home"), ("other", "other")] {
      c.merge(
        addressParts(
          prefix, group: group, region: ["state"], country: ["countryregion", "country"]),
        uniquingKeysWith: { a, _ in a })
    }
    return ImportProfile(
      id: "outlook", en: "Outlook", ru: "Outlook",
      marks: [
        "businessphone", "homephone", "mobilephone", "emailaddress", "emaildisplayname",
        "jobtitle", "businessstreet", "businesscity", "companymainphone", "businessfax",
        "emailtype",
      ], need: 3, columns: c, personCentric: true, surnameFirst: false)
  }()

  /// Microsoft Outlook's CSV export from a Russian Outlook.
  public static let outlookRU: ImportProfile = {
    var c: [String: ProfileColumn] = [
      "обращение": col(nil), "имя": col(.firstName), "отчество": col(.middleName),
      "фамилия": col(.lastName), "суффикс": col(nil), "организация": col(.name),
      "отдел": col(.extra), "должность": col(.position), "телефонпомощника": col(.extra),
      "рабочийфакс": col(.extra), "факсраб": col(.extra), "рабочийтелефон": col(.phone),
      "телефонраб": col(.phone), "обратныйвызов": col(.extra), "телефонвмашине": col(.phone),
      "основнойтелефонорганизации": col(.phone), "домашнийфакс": col(.extra),
      "факсдом": col(.extra), "домашнийтелефон": col(.phone), "телефондом": col(.phone),
      "isdn": col(.extra), "телефонпереносной": col(.phone), "мобильныйтелефон": col(.phone),
      "другойфакс": col(.extra), "другойтелефон": col(.phone), "пейджер": col(.extra),
      "основнойтелефон": col(.phone), "радиотелефон": col(.phone),
      "телетайптелефонститрами": col(.extra), "телекс": col(.extra), "счет": col(nil),
      "годовщина": col(.extra), "имяпомощника": col(.extra), "деньрождения": col(.birthday),
      "категории": col(.tags), "дети": col(nil), "адресэлпочты": col(.email),
      "типэлпочты": col(nil), "краткоеимяэлпочты": col(nil), "пол": col(nil),
      "заметки": col(.notes), "вебстраница": col(.website), "пометки": col(.notes),
      "ключевыеслова": col(nil), "язык": col(nil), "расположение": col(nil),
      "имяруководителя": col(.extra), "пробег": col(nil), "важность": col(nil),
      "частное": col(nil), "профессия": col(.extra), "пользователь": col(nil),
      "супруга": col(nil), "супругсупруга": col(nil), "хобби": col(nil),
      "инициалы": col(nil), "сведенияодоступности": col(nil), "почтовыйящик": col(nil),
      "размещение": col(.extra), "кабинет": col(.extra), "ктопорекомендовал": col(.source),
      "сервер": col(nil), "сведенияосчетах": col(nil),
    ]
    for (suffix, group) in [
      ("рабадрес", "business"), ("домадрес", "home"), ("другойадрес", "other"),
    ] {
      for (part, field) in [
        ("улица", ClientColumn.street), ("город", .city), ("область", .region),
        ("индекс", .postcode), ("почтовыйиндекс", .postcode), ("странаилирегион", .country),
        ("страна", .country), ("абонентскийящик", .street),
      ] {
        c[part + suffix] = col(field, group)
      }
    }
    return ImportProfile(
      id: "outlook_ru", en: "Outlook (Russian)", ru: "Outlook (русский)",
      marks: [
        "адресэлпочты", "краткоеимяэлпочты", "типэлпочты", "улицарабадрес", "городрабадрес",
        "индексрабадрес", "улицадомадрес", "телефонраб", "основнойтелефонорганизации",
        "факсраб", "рабочийфакс", "обращение",
      ], need: 2, columns: c, personCentric: true, surnameFirst: false)
  }()

  /// Mozilla Thunderbird's address book export.
  public static let thunderbird: ImportProfile = {
    var c: [String: ProfileColumn] = [
      "firstname": col(.firstName), "lastname": col(.lastName), "displayname": col(.contact),
      "nickname": col(.extra), "primaryemail": col(.email), "secondaryemail": col(.email),
      "screenname": col(.extra), "workphone": col(.phone), "homephone": col(.phone),
      "faxnumber": col(.extra), "pagernumber": col(.extra), "mobilenumber": col(.phone),
      "jobtitle": col(.position), "department": col(.extra), "organization": col(.name),
      "webpage": col(.website), "birthyear": col(.extra), "birthmonth": col(.extra),
      "birthday": col(.extra), "custom": col(.extra), "notes": col(.notes),
    ]
    for (prefix, group) in [("home", "home"), ("work", "work")] {
      c.merge(
        addressParts(
          prefix, group: group, street: ["address"], region: ["state"], postcode: ["zipcode"]),
        uniquingKeysWith: { a, _ in a })
    }
    return ImportProfile(
      id: "thunderbird", en: "Thunderbird", ru: "Thunderbird",
      marks: [
        "displayname", "primaryemail", "secondaryemail", "mobilenumber", "homezipcode",
        "workzipcode", "screenname", "pagernumber", "faxnumber",
      ], need: 2, columns: c, personCentric: true, surnameFirst: false)
  }()

  /// LinkedIn's Connections.csv (a few "Notes:" lines come before the header).
  public static let linkedin = ImportProfile(
    id: "linkedin", en: "LinkedIn connections", ru: "Контакты LinkedIn",
    marks: ["connectedon"], need: 1,
    columns: [
      "firstname": col(.firstName), "lastname": col(.lastName), "url": col(.extra),
      "emailaddress": col(.email), "company": col(.name), "position": col(.position),
      "connectedon": col(.extra),
    ], personCentric: true, surnameFirst: false)

  /// Apple Contacts / iCloud as CSV converters write it (`Phone : mobile`, `Email : work`…).
  public static let apple: ImportProfile = {
    let c: [String: ProfileColumn] = [
      "firstname": col(.firstName), "lastname": col(.lastName), "middlename": col(.middleName),
      "nickname": col(.extra), "prefix": col(nil), "suffix": col(nil),
      "organization": col(.name), "company": col(.name), "department": col(.extra),
      "jobtitle": col(.position), "title": col(.position), "birthday": col(.birthday),
      "note": col(.notes), "notes": col(.notes), "phonemobile": col(.phone),
      "phoneiphone": col(.phone), "phonehome": col(.phone), "phonework": col(.phone),
      "phonemain": col(.phone), "phoneother": col(.phone), "phonehomefax": col(.extra),
      "phoneworkfax": col(.extra), "phonepager": col(.extra), "emailhome": col(.email),
      "emailwork": col(.email), "emailother": col(.email), "emailicloud": col(.email),
      "urlhomepage": col(.website), "urlhome": col(.website), "urlwork": col(.website),
      "urlother": col(.website), "addresshome": col(.address, "home"),
      "addresswork": col(.address, "work"), "addressother": col(.address, "other"),
      "mobilephone": col(.phone), "iphone": col(.phone), "homephone": col(.phone),
      "workphone": col(.phone), "mainphone": col(.phone), "homeemail": col(.email),
      "workemail": col(.email), "otheremail": col(.email), "icloudemail": col(.email),
      "homepage": col(.website), "homeaddress": col(.address, "home"),
      "workaddress": col(.address, "work"),
    ]
    return ImportProfile(
      id: "apple", en: "Apple Contacts (iCloud)", ru: "Контакты Apple (iCloud)",
      marks: [
        "phoneiphone", "iphone", "emailicloud", "icloudemail", "phonemain", "urlhomepage",
        "phonemobile", "emailhome", "emailwork",
      ], need: 2, columns: c, personCentric: true, surnameFirst: false)
  }()

  static let bitrixColumns: [String: ProfileColumn] = [
    "названиекомпании": col(.name), "компания": col(.name), "названиелида": col(.extra),
    "типкомпании": col(.extra), "сферадеятельности": col(.segment),
    "годовойоборот": col(.extra), "валюта": col(nil), "сотрудники": col(.extra),
    "обращение": col(nil), "имя": col(.firstName), "фамилия": col(.lastName),
    "отчество": col(.middleName), "датарождения": col(.birthday), "должность": col(.position),
    "рабочийтелефон": col(.phone), "мобильныйтелефон": col(.phone),
    "домашнийтелефон": col(.phone), "телефондлярассылок": col(.phone),
    "другойтелефон": col(.phone), "номерфакса": col(.extra), "факс": col(.extra),
    "пейджер": col(.extra), "рабочийemail": col(.email), "частныйemail": col(.email),
    "emailдлярассылок": col(.email), "другойemail": col(.email),
    "корпоративныйсайт": col(.website), "личнаястраница": col(.website),
    "другойсайт": col(.website), "facebook": col(.extra), "вконтакте": col(.extra),
    "livejournal": col(.extra), "twitter": col(.extra), "контактskype": col(.extra),
    "контактicq": col(.extra), "контактmsn": col(.extra), "контактjabber": col(.extra),
    "контактtelegram": col(.extra), "контактviber": col(.extra),
    "контактinstagram": col(.extra), "другойконтакт": col(.extra),
    "адрес": col(.street, "a"), "адресстр": col(.street, "a"), "улицадом": col(.street, "a"),
    "город": col(.city, "a"), "район": col(.region, "a"), "регион": col(.region, "a"),
    "область": col(.region, "a"), "почтовыйиндекс": col(.postcode, "a"),
    "индекс": col(.postcode, "a"), "страна": col(.country, "a"),
    "юридическийадрес": col(.legalAddress), "банковскиереквизиты": col(.extra),
    "реквизиты": col(.extra), "комментарий": col(.notes), "ответственный": col(.owner),
    "доступнадлявсех": col(nil), "доступендлявсех": col(nil), "источник": col(.source),
    "дополнительнооисточнике": col(.extra), "тип": col(.extra), "статус": col(.extra),
    "дополнительноостатусе": col(.extra), "стадия": col(.extra), "сумма": col(.extra),
    "участвуетвэкспорте": col(nil), "входитвэкспорт": col(nil), "логотип": col(nil),
    "колвосотрудников": col(.extra), "номерпейджера": col(.extra),
    "страницаfacebook": col(.extra), "страницаlivejournal": col(.extra),
    "микроблогtwitter": col(.extra), "контактmsnlive": col(.extra),
    "фактическийадрес": col(.actualAddress), "почтовыйадрес": col(.postalAddress),
  ]

  /// Bitrix24 companies, contacts and leads with Russian headers.
  public static let bitrix24 = ImportProfile(
    id: "bitrix24", en: "Bitrix24", ru: "Битрикс24",
    marks: [
      "названиекомпании", "рабочийemail", "частныйemail", "корпоративныйсайт",
      "банковскиереквизиты", "телефондлярассылок", "emailдлярассылок", "сферадеятельности",
      "названиелида",
      "доступнадлявсех", "доступендлявсех", "контактtelegram", "контактskype",
      "дополнительнооисточнике", "личнаястраница",
    ], need: 2, columns: bitrixColumns, personCentric: true, surnameFirst: true)

  /// Bitrix24 with field codes for headers (`NAME`, `LAST_NAME`, `PHONE_WORK`…).
  public static let bitrix24Codes = ImportProfile(
    id: "bitrix24_codes", en: "Bitrix24 (field codes)", ru: "Битрикс24 (коды полей)",
    marks: [
      "phonework", "phonemobile", "phonehome", "emailwork", "emailhome", "companytitle",
      "webwork", "secondname", "assignedbyid", "sourceid", "bankingdetails",
    ], need: 2,
    columns: [
      "id": col(nil), "title": col(.name), "name": col(.firstName), "secondname": col(.middleName),
      "lastname": col(.lastName), "honorific": col(nil), "birthdate": col(.birthday),
      "companytitle": col(.name), "post": col(.position), "phonework": col(.phone),
      "phonemobile": col(.phone), "phonehome": col(.phone), "phoneother": col(.phone),
      "phonemailing": col(.phone), "phonefax": col(.extra), "phonepager": col(.extra),
      "emailwork": col(.email), "emailhome": col(.email), "emailother": col(.email),
      "emailmailing": col(.email), "webwork": col(.website), "webhome": col(.website),
      "webother": col(.website), "webfacebook": col(.extra), "webvk": col(.extra),
      "webtwitter": col(.extra), "weblivejournal": col(.extra), "imskype": col(.extra),
      "imtelegram": col(.extra), "imviber": col(.extra), "imicq": col(.extra),
      "imjabber": col(.extra), "imother": col(.extra), "address": col(.street, "a"),
      "addresscity": col(.city, "a"), "addresspostalcode": col(.postcode, "a"),
      "addressregion": col(.region, "a"), "addressprovince": col(.region, "a"),
      "addresscountry": col(.country, "a"), "addresscountrycode": col(nil),
      "regaddress": col(.legalAddress), "comments": col(.notes), "sourceid": col(.source),
      "sourcedescription": col(.extra), "assignedbyid": col(.extra),
      "industry": col(.segment), "companytype": col(.extra), "bankingdetails": col(.extra),
      "revenue": col(.extra), "currencyid": col(nil), "employees": col(.extra),
      "opened": col(nil), "export": col(nil), "statusid": col(.extra),
      "statusdescription": col(.extra), "opportunity": col(.extra), "typeid": col(.extra),
    ], personCentric: true, surnameFirst: true)

  /// amoCRM's contact export (Russian headers).
  public static let amocrm = ImportProfile(
    id: "amocrm", en: "amoCRM", ru: "amoCRM",
    marks: [
      "полноеимяконтакта", "рабочийпрямойтелефон", "личныйemail", "другойemail", "кемсоздан",
      "рабочийemail", "названиесделки", "полноеимя",
    ], need: 2,
    columns: [
      "id": col(nil), "полноеимяконтакта": col(.contact), "полноеимя": col(.contact),
      "имя": col(.firstName), "фамилия": col(.lastName), "компания": col(.name),
      "названиекомпании": col(.name), "ответственный": col(.owner),
      "датасоздания": col(nil), "кемсоздан": col(nil), "изменено": col(nil),
      "датаизменения": col(nil), "кемизменен": col(nil), "теги": col(.tags),
      "примечание": col(.notes), "рабочийтелефон": col(.phone),
      "рабочийпрямойтелефон": col(.phone), "мобильныйтелефон": col(.phone),
      "домашнийтелефон": col(.phone), "другойтелефон": col(.phone), "факс": col(.extra),
      "рабочийemail": col(.email), "личныйemail": col(.email), "другойemail": col(.email),
      "должность": col(.position), "web": col(.website), "сайт": col(.website),
      "адрес": col(.address, "a"), "названиесделки": col(.extra), "сделки": col(.extra),
      "источник": col(.source), "skype": col(.extra), "icq": col(.extra),
      "jabber": col(.extra), "googletalk": col(.extra), "msn": col(.extra),
      "другойim": col(.extra),
    ], personCentric: true, surnameFirst: true)

  /// What `crm export csv` writes.
  public static let termcrm = ImportProfile(
    id: "termcrm", en: "TermCRM CSV", ru: "CSV TermCRM",
    marks: [
      "телефонконтакта", "emailконтакта", "опф", "корсчет", "расчетныйсчет", "контактноелицо",
    ],
    need: 3, columns: [:], personCentric: false, surnameFirst: false)
}

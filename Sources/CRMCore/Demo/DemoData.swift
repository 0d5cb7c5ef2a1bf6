import Foundation
import GRDB

/// A small, fast, seedable random generator (SplitMix64), so demo data is the same for a seed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
  var state: UInt64
  public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// Realistic Russian and English clients with valid requisites, contact persons and owners.
public struct DemoData: Sendable {
  var rng: SeededRandom
  /// Contacts come from their own sequence, so adding them left the generated clients unchanged.
  var contactRng: SeededRandom
  /// Re-entered clients (duplicates for the duplicate search) come from their own sequence too,
  /// and only after the first `twinsAfter` clients, so small demo bases are unchanged.
  var twinRng: SeededRandom
  var made = 0
  var recent: [(Client, [ContactPerson])] = []
  /// The share of clients (after the first `twinsAfter`) that re-enter an earlier one.
  public var twinShare = 0.02
  static let twinsAfter = 500
  let now: Date
  /// Whether to generate contacts: 0–2 done ones per client (the latest at its last contact) and
  /// a planned one for a quarter of them, from ten days ago to a month ahead.
  public var contacts = true

  /// How many users own clients (the first six have fixed logins such as `ivanova`).
  public var ownerCount = 6
  /// Contact persons per company (persons and sole traders have none).
  public var personsPerCompany: ClosedRange<Int> = 1...3

  /// When the demo's planned contacts fall: working days, `day_start`..`day_end`.
  public var hours: WorkingHours

  /// `hours` defaults to 10:00–18:00 in Moscow.
  public init(seed: UInt64, now: Date, hours: WorkingHours? = nil) {
    rng = SeededRandom(seed: seed)
    contactRng = SeededRandom(seed: seed ^ 0x5EED_C0DE)
    twinRng = SeededRandom(seed: seed ^ 0x7755_D0B1)
    self.now = now
    self.hours =
      hours ?? WorkingHours(timeZone: TimeZone(identifier: "Europe/Moscow") ?? .current)
  }

  /// Logins and names of the owners: the six fixed ones, then `manager07`, `manager08`…
  func ownerList() -> [(String, String)] {
    var out = Array(Self.owners.prefix(ownerCount))
    var i = out.count
    while out.count < ownerCount {
      i += 1
      let first = Self.femaleFirst[i % Self.femaleFirst.count]
      let last = Self.maleLast[(i * 7) % Self.maleLast.count] + "а"
      out.append((String(format: "manager%02d", i), "\(first) \(last)"))
    }
    return out
  }

  static let owners: [(String, String)] = [
    ("ivanova", "Анна Иванова"), ("petrov", "Сергей Петров"), ("sidorova", "Мария Сидорова"),
    ("kuznetsov", "Дмитрий Кузнецов"), ("volkova", "Елена Волкова"), ("smith", "John Smith"),
  ]
  static let roots = [
    "Север", "Юг", "Урал", "Сибирь", "Волга", "Балт", "Техно", "Строй", "Агро", "Мед", "Энерго",
    "Транс", "Инфо", "Нефте", "Лес", "Металл", "Пром", "Торг", "Снаб", "Альфа", "Вектор", "Гранит",
    "Кедр", "Орион", "Полярис", "Ладога", "Ока", "Алтай", "Феникс", "Сокол", "Берёза", "Ёлка",
    "Аква", "Био", "Гео", "Дельта", "Евро", "Зенит", "Интер", "Крона", "Лидер", "Мега", "Нова",
    "Омега", "Прайм", "Ресурс", "Сигма", "Тайга", "Фарм", "Хим", "Циркон", "Электро", "Юнион",
  ]
  static let tails = [
    "Инвест", "Сервис", "Систем", "Логистик", "Комплект", "Маркет", "Групп", "Холдинг", "Трейд",
    "Проект", "Монтаж", "Ресурс", "Лайн", "Тех", "Снаб", "Пласт", "Мастер", "Плюс", "Союз", "Дом",
    "Строй", "Торг", "Пром", "Софт", "Оптима", "Кабель", "Транс", "Агро", "Мед", "Вент", "Авто",
  ]
  static let words = [
    "Ромашка", "Рассвет", "Горизонт", "Меридиан", "Радуга", "Звезда", "Парус", "Маяк", "Фортуна",
    "Слобода", "Стандарт", "Прогресс", "Импульс", "Спектр", "Эталон", "Созвездие",
  ]
  static let forms = ["ООО", "ООО", "ООО", "АО", "ПАО", "ЗАО"]
  static let enFirst = [
    "Northwind", "Blue Ridge", "Silver Lake", "Oak", "Granite", "Harbor", "Summit", "Redwood",
    "Evergreen", "Atlas", "Pioneer", "Crescent", "Beacon", "Maple", "Falcon", "Sterling",
  ]
  static let enSecond = [
    "Traders", "Logistics", "Systems", "Foods", "Consulting", "Industries", "Supply", "Partners",
    "Labs", "Media", "Energy", "Holdings",
  ]
  static let enForms = ["Ltd", "LLC", "Inc", "GmbH"]
  static let maleLast = [
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
    "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
  ]
  static let maleFirst = [
    "Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений", "Иван", "Михаил",
    "Артём", "Николай", "Пётр", "Фёдор", "Олег", "Владимир", "Юрий",
  ]
  static let femaleFirst = [
    "Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Екатерина",
    "Юлия", "Алёна", "Дарья", "Ксения", "Людмила",
  ]
  static let patronymRoots = [
    "Александров", "Сергеев", "Дмитриев", "Андреев", "Алексеев", "Иванов", "Михайлов", "Петров",
    "Николаев", "Владимиров", "Юрьев", "Фёдоров",
  ]
  static let enPeople = [
    "James Brown", "Emily Clark", "Oliver Wilson", "Sophie Turner", "Daniel Hughes", "Grace Hall",
    "Thomas Wright", "Chloe Evans", "Jack Robinson", "Lucy Walker",
  ]
  static let positions = [
    "Генеральный директор", "Коммерческий директор", "Главный бухгалтер", "Менеджер по закупкам",
    "Начальник отдела снабжения", "Инженер", "Юрист", "Офис-менеджер",
  ]
  static let cities: [(String, String)] = [
    ("Москва", "77"), ("Санкт-Петербург", "78"), ("Новосибирск", "54"), ("Екатеринбург", "66"),
    ("Казань", "16"), ("Нижний Новгород", "52"), ("Челябинск", "74"), ("Самара", "63"),
    ("Омск", "55"), ("Ростов-на-Дону", "61"), ("Уфа", "02"), ("Красноярск", "24"),
    ("Воронеж", "36"), ("Пермь", "59"), ("Волгоград", "34"), ("Тюмень", "72"),
  ]
  static let enCities = ["London", "Berlin", "Dublin", "Riga", "Helsinki", "Almaty"]
  static let streets = [
    "ул. Ленина", "ул. Гагарина", "пр-т Мира", "ул. Садовая", "ул. Советская", "ул. Пушкина",
    "наб. Фонтанки", "ул. Профсоюзная",
  ]
  static let banks: [(bik: String, name: String)] = [
    ("044525225", "ПАО Сбербанк"), ("044525593", "АО «Альфа-Банк»"),
    ("044525974", "АО «Т-Банк»"), ("044030653", "Северо-Западный банк ПАО Сбербанк"),
    ("045004641", "Сибирский банк ПАО Сбербанк"), ("046577674", "Уральский банк ПАО Сбербанк"),
  ]
  static let segments = ["VIP", "Постоянный", "Постоянный", "Разовый", "Разовый", ""]
  static let sources = ["Сайт", "Рекомендация", "Выставка", "Холодный звонок", "Реклама", "Тендер"]
  static let tagPool = ["опт", "розница", "дилер", "госзаказ", "экспорт", "новый", "ключевой"]

  mutating func pick<T>(_ a: [T]) -> T { a[Int.random(in: 0..<a.count, using: &rng)] }
  mutating func digits(_ n: Int) -> [Int] {
    (0..<n).map { _ in Int.random(in: 0...9, using: &rng) }
  }
  mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

  mutating func personName() -> String {
    if chance(0.5) {
      let last = pick(Self.maleLast)
      return "\(last) \(pick(Self.maleFirst)) \(pick(Self.patronymRoots))ич"
    }
    let last = pick(Self.maleLast) + "а"
    return "\(last) \(pick(Self.femaleFirst)) \(pick(Self.patronymRoots))на"
  }

  mutating func phone(mobile: Bool) -> Phone {
    let code =
      mobile
      ? "9\(Int.random(in: 10...99, using: &rng))" : pick(["495", "499", "812", "383", "343"])
    let d = digits(7).map(String.init).joined()
    let a = String(d.prefix(3))
    let b = String(d.dropFirst(3).prefix(2))
    let c = String(d.suffix(2))
    switch Int.random(in: 0..<4, using: &rng) {
    case 0: return Phone("+7 \(code) \(a)-\(b)-\(c)")
    case 1: return Phone("8 (\(code)) \(a)-\(b)-\(c)")
    case 2: return Phone("8\(code)\(d)")
    default: return Phone("+7 (\(code)) \(a) \(b) \(c)")
    }
  }

  mutating func bankAccount(person: Bool) -> BankAccount {
    let bank = pick(Self.banks)
    let bik = Array(bank.bik).map { Int(String($0))! }
    var corr = [3, 0, 1, 0, 1, 8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + Array(bik[6..<9])
    corr[8] = 0
    let corrAccount = Requisites.completeAccount(corr, prefix: [0] + Array(bik[4..<6]))
    let head = person ? [4, 0, 8, 0, 2] : [4, 0, 7, 0, 2]
    let account = head + [8, 1, 0] + digits(12)
    return BankAccount(
      bik: bank.bik, account: Requisites.completeAccount(account, prefix: Array(bik[6..<9])),
      corrAccount: corrAccount, bankName: bank.name)
  }

  static let translit: [Character: String] = [
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sch", "ы": "y", "э": "e", "ю": "yu", "я": "ya",
  ]

  mutating func email(_ name: String, domain: String) -> String {
    let word = name.lowercased().split(separator: " ").first.map(String.init) ?? "info"
    let latin = word.map { Self.translit[$0] ?? ($0.isASCII && $0.isLetter ? String($0) : "") }
      .joined()
    return "\(latin.isEmpty ? "info" : latin)@\(domain)"
  }

  /// One generated client with its contact persons.
  public mutating func client(ownerIds: [Int64]) -> (Client, [ContactPerson]) {
    made += 1
    if made > Self.twinsAfter, !recent.isEmpty,
      Double.random(in: 0..<1, using: &twinRng) < twinShare
    {
      return twin()
    }
    let made = fresh(ownerIds: ownerIds)
    if recent.count < 64 {
      recent.append(made)
    } else {
      recent[Int.random(in: 0..<64, using: &twinRng)] = made
    }
    return made
  }

  /// An earlier client entered again the way people do: the name transliterated, mistyped,
  /// quoted or in capitals, the ИНН left out half the time, some phones and e-mails kept.
  mutating func twin() -> (Client, [ContactPerson]) {
    var (c, persons) = recent[Int.random(in: 0..<recent.count, using: &twinRng)]
    func roll() -> Double { Double.random(in: 0..<1, using: &twinRng) }
    switch Int.random(in: 0..<4, using: &twinRng) {
    case 0:
      let latin = c.name.split(separator: " ").map {
        let t = DuplicateKeys.transliterate($0.lowercased())
        return t.prefix(1).uppercased() + t.dropFirst()
      }.joined(separator: " ")
      c.name = latin
      c.legalForm = c.kind == .company ? "LLC" : ""
    case 1:
      var letters = Array(c.name)
      if letters.count > 4 {
        let i = Int.random(in: 2..<(letters.count - 1), using: &twinRng)
        letters[i] = Array("аеиоуклмнрст")[Int.random(in: 0..<12, using: &twinRng)]
      }
      c.name = String(letters)
    case 2:
      // Typed with the form and straight quotes in the name field, as people do; the write
      // splits it back (`ClientName`).
      c.name = c.legalForm.isEmpty ? "\"\(c.name)\"" : "\(c.legalForm) \"\(c.name)\""
      c.legalForm = ""
    default: c.name = c.name.uppercased()
    }
    if roll() < 0.5 { c.inn = "" }
    if roll() < 0.4 { c.phones = [] }
    if roll() < 0.5 { c.emails = [] }
    if roll() < 0.5 { persons = [] }
    c.notes = ""
    return (c, persons)
  }

  mutating func fresh(ownerIds: [Int64]) -> (Client, [ContactPerson]) {
    let roll = Double.random(in: 0..<1, using: &rng)
    var c: Client
    var persons: [ContactPerson] = []
    if roll < 0.7 {
      let (city, region) = pick(Self.cities)
      let name = chance(0.5) ? pick(Self.roots) + pick(Self.tails).lowercased() : pick(Self.words)
      let variant =
        chance(0.3)
        ? " \(pick(Self.cities).0.prefix(3).uppercased())"
        : chance(0.3) ? pick(["-М", "-Центр", " Плюс", "-2", " Сервис", "-Юг", " Регион"]) : ""
      c = Client(kind: .company, name: name + variant, legalForm: pick(Self.forms))
      let regionDigits = region.map { Int(String($0))! }
      c.inn = Requisites.completeINN(regionDigits + digits(7))
      c.kpp = region + "\(Int.random(in: 10...99, using: &rng))01001"
      c.ogrn = Requisites.completeOGRN([1] + digits(2) + regionDigits + digits(7))
      c.city = city
      c.legalAddress = "\(city), \(pick(Self.streets)), д. \(Int.random(in: 1...150, using: &rng))"
      c.actualAddress = chance(0.5) ? c.legalAddress : ""
      c.phones = [phone(mobile: false)] + (chance(0.4) ? [phone(mobile: true)] : [])
      let domain = "\(email(name, domain: "ru").split(separator: "@")[0]).ru"
      c.emails = ["info@\(domain)"]
      c.website = chance(0.6) ? "https://\(domain)" : ""
      c.bankAccounts = [bankAccount(person: false)]
      for _ in 0..<Int.random(in: personsPerCompany, using: &rng) {
        let n = personName()
        persons.append(
          ContactPerson(
            clientId: 0, name: n, position: pick(Self.positions), phones: [phone(mobile: true)],
            emails: chance(0.6) ? [email(n, domain: domain)] : []))
      }
    } else if roll < 0.85 {
      let (city, region) = pick(Self.cities)
      let n = personName()
      c = Client(kind: .person, name: n, legalForm: chance(0.7) ? "ИП" : "")
      let regionDigits = region.map { Int(String($0))! }
      c.inn = Requisites.completeINN(regionDigits + digits(8))
      if c.legalForm == "ИП" {
        c.ogrn = Requisites.completeOGRN([3] + digits(2) + regionDigits + digits(9))
        c.bankAccounts = [bankAccount(person: true)]
      }
      c.city = city
      c.phones = [phone(mobile: true)]
      c.emails = chance(0.7) ? [email(n, domain: pick(["mail.ru", "yandex.ru", "gmail.com"]))] : []
    } else {
      let name = "\(pick(Self.enFirst)) \(pick(Self.enSecond))"
      c = Client(kind: .company, name: name, legalForm: pick(Self.enForms))
      c.city = pick(Self.enCities)
      let d = digits(8).map(String.init).joined()
      c.phones = [Phone("+44 20 \(d.prefix(4)) \(d.suffix(4))")]
      // Companies of one name are different companies: their domains differ (digits already
      // drawn for the phone keep the random sequence as it was).
      let domain =
        name.lowercased().replacingOccurrences(of: " ", with: "") + "-\(d.suffix(3)).com"
      c.emails = ["sales@\(domain)"]
      c.website = "https://\(domain)"
      c.notes = chance(0.3) ? "Prefers e-mail; invoices in EUR." : ""
      let n = pick(Self.enPeople)
      persons.append(
        ContactPerson(
          clientId: 0, name: n, position: "Purchasing manager",
          emails: ["\(n.split(separator: " ")[0].lowercased())@\(domain)"]))
    }
    c.segment = pick(Self.segments)
    c.leadSource = pick(Self.sources)
    c.ownerId = ownerIds.isEmpty ? nil : pick(ownerIds)
    if chance(0.4) { c.tags = [pick(Self.tagPool)] + (chance(0.3) ? [pick(Self.tagPool)] : []) }
    if c.tags.count == 2 && c.tags[0] == c.tags[1] { c.tags.removeLast() }
    if chance(0.15) {
      c.notes = pick(["Звонить после 14:00.", "Работают по предоплате.", "Просили КП на опт."])
    }
    if chance(0.8) {
      c.lastContactAt = now.addingTimeInterval(
        -Double(Int.random(in: 0..<(365 * 86400), using: &rng)))
    }
    return (c, persons)
  }

  /// One client ready for SQL: generated, folded and with its search document built.
  static let kindWeights: [(ContactKind, Int)] = [
    (.call, 50), (.email, 15), (.meeting, 15), (.letter, 5), (.request, 5), (.complaint, 3),
    (.visit, 4), (.other, 3),
  ]
  static let subjects = [
    "Уточнить потребность", "Отправить КП", "Ответ по КП", "Согласовать договор",
    "Напомнить об оплате", "Обсудить отгрузку", "Поздравить с праздником", "",
  ]
  static let outcomes = [
    "Договорились о встрече", "Просят КП", "Перезвонить через неделю", "Не актуально до весны",
    "Оплату подтвердили", "Не дозвонился", "",
  ]

  mutating func contactKind() -> ContactKind {
    var n = Int.random(in: 0..<100, using: &contactRng)
    for (k, w) in Self.kindWeights {
      if n < w { return k }
      n -= w
    }
    return .call
  }

  /// A time within working hours (`hours`) about `days` from now: on that day, or the next
  /// working day when it is a weekend, on a quarter hour from `day_start` to before `day_end`.
  mutating func workTime(days: Int) -> Date {
    let quarters = (hours.dayEnd - hours.dayStart) * 4
    let quarter = Int.random(in: 0..<quarters, using: &contactRng)
    let day = hours.start(ofWorkingDayFrom: CalendarMath.addDays(now, days, hours.calendar))
    return day.addingTimeInterval(Double(quarter) * 900)
  }

  /// Quarter hours (since 1970) already planned per owner: a manager's planned contacts do not
  /// overlap, as a real calendar's mostly do not.
  var busy: [Int64: Set<Int>] = [:]

  /// `wanted`, or the next free time of `owner`'s working hours (`hours`: working days,
  /// `day_start`..`day_end`) long enough for `minutes`.
  mutating func freeTime(_ wanted: Date, owner: Int64, minutes: Int) -> Date {
    let length = max(1, (minutes + 14) / 15)
    var q = Int(wanted.timeIntervalSince1970 / 900)
    for _ in 0..<(96 * 60) {
      let start = Date(timeIntervalSince1970: Double(q) * 900)
      let last = start.addingTimeInterval(Double(length - 1) * 900)
      guard hours.contains(start), hours.contains(last),
        CalendarMath.startOfDay(start, hours.calendar)
          == CalendarMath.startOfDay(last, hours.calendar)
      else {
        // The next working morning when past the day's end or on a weekend, else the next quarter.
        let next = hours.fit(start.addingTimeInterval(900))
        q = max(q + 1, Int(next.timeIntervalSince1970 / 900))
        continue
      }
      if (q..<(q + length)).allSatisfy({ !(busy[owner]?.contains($0) ?? false) }) {
        busy[owner, default: []].formUnion(q..<(q + length))
        return Date(timeIntervalSince1970: Double(q) * 900)
      }
      q += 1
    }
    return wanted
  }

  mutating func demoContacts(for c: Client) -> [Contact] {
    guard contacts, let owner = c.ownerId else { return [] }
    var out: [Contact] = []
    if let last = c.lastContactAt {
      let earlier = Int.random(in: 0...1, using: &contactRng)
      for i in 0...earlier {
        let at =
          i == 0
          ? last
          : last.addingTimeInterval(-Double(Int.random(in: 1...90, using: &contactRng)) * 86400)
        let kind = contactKind()
        out.append(
          Contact(
            clientId: 0, kind: kind, status: .done,
            direction: Int.random(in: 0..<4, using: &contactRng) == 0 ? .incoming : .outgoing,
            dueAt: at, durationMinutes: kind == .meeting ? 60 : 0, doneAt: at,
            subject: Self.subjects.randomElement(using: &contactRng)!,
            outcome: Self.outcomes.randomElement(using: &contactRng)!, userId: owner,
            authorId: owner))
      }
    }
    if Int.random(in: 0..<4, using: &contactRng) == 0 {
      let wanted = workTime(days: Int.random(in: -10...30, using: &contactRng))
      let kind = contactKind()
      let due = freeTime(wanted, owner: owner, minutes: kind == .meeting ? 60 : 15)
      out.append(
        Contact(
          clientId: 0, kind: kind, dueAt: due, durationMinutes: kind == .meeting ? 60 : 0,
          subject: Self.subjects.randomElement(using: &contactRng)!, userId: owner,
          authorId: owner, remindAt: due.addingTimeInterval(-900)))
    }
    return out
  }

  struct Prepared {
    var client: Client
    var persons: [ContactPerson]
    var contacts: [Contact]
    var nameKey: String
    var cityKey: String
    var matchKey: String
    var personKeys: [String]
    var document: [String]
  }

  mutating func prepared(ownerIds: [Int64]) -> Prepared {
    var (c, persons) = client(ownerIds: ownerIds)
    (c.name, c.legalForm) = ClientName.normalize(name: c.name, legalForm: c.legalForm)
    let phones = (c.phones + persons.flatMap(\.phones)).map { ($0.raw, $0.e164) }
    let doc = SearchIndex.document(
      name: c.name, legalForm: c.legalForm, persons: persons.map(\.name), phones: phones,
      emails: c.emails + persons.flatMap(\.emails), requisites: [c.inn, c.kpp, c.ogrn],
      tags: c.tags, city: c.city, notes: c.notes)
    return Prepared(
      client: c, persons: persons, contacts: demoContacts(for: c),
      nameKey: TextFold.sortKey(c.name),
      cityKey: TextFold.sortKey(c.city), matchKey: DuplicateKeys.name(c.name),
      personKeys: persons.map { DuplicateKeys.name($0.name) }, document: doc)
  }

  /// Fills `db` with `count` clients in one transaction; returns how many were added.
  /// Requisites are generated valid, so rows go straight to SQL without per-row validation.
  /// A second thread generates batches while this one inserts, so both cores work.
  @discardableResult
  public mutating func populate(_ db: CRMDatabase, count: Int) throws(CRMError) -> Int {
    let at = now.timeIntervalSince1970
    let owners = ownerList()
    let ownerIds = try db.write { db in
      try owners.map { login, name in
        try db.execute(
          sql:
            "INSERT OR IGNORE INTO app_user (login, name, role, created_at) VALUES (?, ?, 'manager', ?)",
          arguments: [login, name, at])
        return try Int64.fetchOne(
          db, sql: "SELECT id FROM app_user WHERE login = ?", arguments: [login])!
      }
    }
    let batches = BatchQueue<Prepared>(capacity: 4)
    let producer = self
    let total = count
    Thread {
      var generator = producer
      var left = total
      while left > 0 {
        let n = min(left, 2000)
        if !batches.put((0..<n).map { _ in generator.prepared(ownerIds: ownerIds) }) { return }
        left -= n
      }
      batches.finish()
    }.start()
    defer { batches.cancel() }
    // A large page cache keeps the index B-trees in memory during the bulk load.
    try? db.queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA cache_size = -131072") }
    defer {
      try? db.queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA cache_size = -2000") }
    }
    return try db.write { db in
      let insertClient = try db.makeStatement(
        sql: """
          INSERT INTO client (kind, name, name_key, legal_form, inn, kpp, ogrn, website, city,
            city_key, legal_address, actual_address, lead_source, segment, owner_id, notes,
            phone_sort, created_at, updated_at, last_contact_at, match_key, match_rkey,
            created_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """)
      let insertPhone = try db.makeStatement(
        sql: "INSERT INTO phone (client_id, person_id, position, raw, e164) VALUES (?, ?, ?, ?, ?)")
      let insertEmail = try db.makeStatement(
        sql: """
          INSERT INTO email (client_id, person_id, position, address, address_key)
          VALUES (?, ?, ?, ?, ?)
          """)
      let insertAccount = try db.makeStatement(
        sql: """
          INSERT INTO bank_account (client_id, position, bik, account, corr_account, bank_name)
          VALUES (?, 0, ?, ?, ?, ?)
          """)
      let insertTag = try db.makeStatement(
        sql:
          "INSERT OR IGNORE INTO client_tag (client_id, position, tag, tag_key) VALUES (?, ?, ?, ?)"
      )
      let insertPerson = try db.makeStatement(
        sql: """
          INSERT INTO contact_person (client_id, name, position, created_at, updated_at, match_key)
          VALUES (?, ?, ?, ?, ?, ?)
          """)
      let insertContact = try db.makeStatement(
        sql: """
          INSERT INTO contact (client_id, kind, direction, status, due_at, duration_min, done_at,
            subject, outcome, user_id, author_id, remind_at, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """)
      var added = 0
      while let batch = batches.take() {
        for p in batch {
          let c = p.client
          try insertClient.execute(arguments: [
            c.kind.rawValue, c.name, p.nameKey, c.legalForm, c.inn, c.kpp, c.ogrn, c.website,
            c.city, p.cityKey, c.legalAddress, c.actualAddress, c.leadSource, c.segment,
            c.ownerId, c.notes, c.phones.first.map { $0.e164 ?? $0.raw } ?? "", at, at,
            c.lastContactAt?.timeIntervalSince1970, p.matchKey, DuplicateKeys.reversed(p.matchKey),
            c.ownerId,
          ])
          let id = db.lastInsertedRowID
          for (i, ph) in c.phones.enumerated() {
            try insertPhone.execute(arguments: [id, nil, i, ph.raw, ph.e164])
          }
          for (i, e) in c.emails.enumerated() {
            try insertEmail.execute(arguments: [id, nil, i, e, TextFold.key(e)])
          }
          for a in c.bankAccounts {
            try insertAccount.execute(arguments: [id, a.bik, a.account, a.corrAccount, a.bankName])
          }
          for (i, t) in c.tags.enumerated() {
            try insertTag.execute(arguments: [id, i, t, TextFold.key(t)])
          }
          for (person, key) in zip(p.persons, p.personKeys) {
            try insertPerson.execute(arguments: [id, person.name, person.position, at, at, key])
            let pid = db.lastInsertedRowID
            for (i, ph) in person.phones.enumerated() {
              try insertPhone.execute(arguments: [id, pid, i, ph.raw, ph.e164])
            }
            for (i, e) in person.emails.enumerated() {
              try insertEmail.execute(arguments: [id, pid, i, e, TextFold.key(e)])
            }
          }
          for k in p.contacts {
            try insertContact.execute(arguments: [
              id, k.kind.rawValue, k.direction.rawValue, k.status.rawValue,
              k.dueAt?.timeIntervalSince1970, k.durationMinutes, k.doneAt?.timeIntervalSince1970,
              k.subject, k.outcome, k.userId, k.authorId, k.remindAt?.timeIntervalSince1970, at,
              at,
            ])
          }
          try SearchIndex.insert(db, clientId: id, p.document)
          added += 1
        }
      }
      return added
    }
  }
}

/// A bounded hand-over of batches from one producer thread to one consumer.
final class BatchQueue<Item>: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [[Item]] = []
  private var finished = false
  private var cancelled = false
  private let capacity: Int

  init(capacity: Int) { self.capacity = capacity }

  /// Waits for room; false when the consumer has gone away.
  func put(_ batch: [Item]) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while items.count >= capacity && !cancelled { condition.wait() }
    if cancelled { return false }
    items.append(batch)
    condition.broadcast()
    return true
  }

  /// The next batch, or nil when the producer is done.
  func take() -> [Item]? {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty && !finished { condition.wait() }
    if items.isEmpty { return nil }
    condition.broadcast()
    return items.removeFirst()
  }

  func finish() {
    condition.lock()
    finished = true
    condition.broadcast()
    condition.unlock()
  }

  func cancel() {
    condition.lock()
    cancelled = true
    finished = true
    condition.broadcast()
    condition.unlock()
  }
}

import Foundation
import TestSupport
import Testing

@testable import CRMCore

@Suite struct DuplicateFinderTests {
  let innA = Requisites.completeINN([7, 7, 0, 7, 0, 8, 3, 8, 9])
  let innB = Requisites.completeINN([5, 0, 2, 9, 1, 4, 0, 0, 1])

  func profile(_ name: String, inn: String = "", phones: [String] = [], emails: [String] = [])
    -> DuplicateProfile
  {
    var p = DuplicateProfile(id: 1, name: name, inn: inn, key: DuplicateKeys.name(name))
    p.phones = phones.compactMap(PhoneNumber.e164)
    p.emails = emails.map(DuplicateKeys.email)
    return p
  }

  func score(_ a: DuplicateProfile, _ b: DuplicateProfile) -> (Int, [DuplicateReason], Bool) {
    let e = DuplicateScore.evaluate(a, b)
    return (e.score, e.reasons, e.conflicting)
  }

  @Test func transliteratedAndLegalFormVariantsAreTheSameName() {
    for (a, b) in [
      ("ООО «Ромашка»", "Romashka LLC"), ("АО \"Вектор\"", "Вектор ЗАО"),
      ("Цветы Сибири", "ООО Tsvety Sibiri"), ("ИП Щукина Мария", "Mariya Shchukina"),
    ] {
      let (s, reasons, conflicting) = score(profile(a), profile(b))
      #expect(s == 85, "\(a) / \(b)")
      #expect(reasons == [.sameName])
      #expect(!conflicting)
    }
  }

  @Test func typosScoreByHowAlikeTheNamesAre() {
    let (s, reasons, _) = score(profile("Стройинвест"), profile("Стройинвесд"))
    #expect(reasons == [.similarName(90)])
    #expect(s == 73)
    // Folding already joins й/и and doubled letters: no typo left.
    #expect(score(profile("Стройинвест"), profile("Строинвест")).0 == 85)
    // One letter off in a short name is only weak evidence.
    let (weak, _, _) = score(profile("Альфа"), profile("Альма"))
    #expect(weak == 45)
    #expect(score(profile("Альфа"), profile("Омега")).0 == 0)
  }

  @Test func phonesEmailsAndINNAddUp() {
    let a = profile("Стройинвест", phones: ["+7 495 123-45-67"])
    let b = profile("Стройинвесд", phones: ["8 (495) 123 45 67"])
    let (s, reasons, _) = score(a, b)
    #expect(reasons == [.samePhone("+74951234567"), .similarName(90)])
    #expect(s == 95)
    #expect(
      DuplicatePair(
        entity: .client, first: 1, second: 2, firstName: "", secondName: "", score: s,
        reasons: reasons, conflictingINN: false
      ).reasonsText(.en) == "same phone +74951234567; names 90 % alike")
    let (byINN, r2, _) = score(profile("Альфа", inn: innA), profile("Омега", inn: innA))
    #expect(r2 == [.sameINN(innA)])
    #expect(byINN == 97)
    let (byMail, r3, _) = score(
      profile("Альфа", emails: ["Info@Alfa.ru"]), profile("Омега", emails: ["info@alfa.ru "]))
    #expect(r3 == [.sameEmail("info@alfa.ru")])
    #expect(byMail == 85)
  }

  @Test func theSameNameWithDifferentValidINNIsNeverAStrongMatch() {
    let (s, reasons, conflicting) = score(
      profile("ООО Ромашка", inn: innA, phones: ["+74951234567"]),
      profile("Ромашка", inn: innB, phones: ["+74951234567"]))
    #expect(conflicting)
    #expect(s == 50)
    #expect(reasons == [.samePhone("+74951234567"), .sameName, .differentINN(innA, innB)])
    // An invalid ИНН on one side is a typo, not a different company.
    let (_, _, typo) = score(profile("Ромашка", inn: innA), profile("Ромашка", inn: "7707083894"))
    #expect(!typo)
  }

  @Test func scanFindsEachKindOfPairOnceBestFirst() throws {
    let f = try ContactFixture()
    let romashka = try f.clients.add(Client(name: "Ромашка", legalForm: "ООО"))
    let latin = try f.clients.add(Client(name: "Romashka LLC"))
    let stroy = try f.clients.add(
      Client(name: "Стройинвест", phones: [Phone("+7 495 123-45-67")]))
    let typo = try f.clients.add(Client(name: "Стройинвесд", phones: [Phone("84951234567")]))
    let vector = try f.clients.add(Client(name: "Вектор", inn: innA))
    let other = try f.clients.add(Client(name: "Вектор", inn: innB))
    _ = try f.clients.add(Client(name: "Совсем другое"))
    let finder = DuplicateFinder(db: f.db, userId: f.anna, language: .en)
    let pairs = try finder.scan()
    #expect(
      pairs.map { [$0.first, $0.second, Int64($0.score)] } == [
        [stroy, typo, 95], [romashka, latin, 85],
      ])
    #expect(pairs[1].firstName == "ООО «Ромашка»")
    let all = try finder.scan(minScore: 0)
    #expect(all.contains { $0.first == vector && $0.second == other && $0.conflictingINN })
    // Marked "not a duplicate": gone from the scan, back when unmarked.
    try finder.markNotDuplicate(.client, latin, romashka)
    try finder.markNotDuplicate(.client, latin, romashka)
    #expect(try finder.scan().map(\.first) == [stroy])
    try finder.unmarkNotDuplicate(.client, romashka, latin)
    #expect(try finder.scan().count == 2)
    #expect(throws: CRMError.self) { try finder.markNotDuplicate(.client, latin, latin) }
    #expect(throws: CRMError.self) { try finder.markNotDuplicate(.client, latin, 999) }
    // A client in the trash is nobody's duplicate.
    try f.clients.delete(typo)
    #expect(try finder.scan().map(\.first) == [romashka])
  }

  @Test func aSwitchboardSharedByManyIsNoEvidence() throws {
    let f = try ContactFixture()
    for i in 0...DuplicateFinder.largestBlock {
      _ = try f.clients.add(
        Client(name: "Клиент \(i) \(i * 7919)", phones: [Phone("+74950000000")]))
    }
    let finder = DuplicateFinder(db: f.db, userId: f.anna, language: .en)
    #expect(
      try !finder.scan(minScore: 1).contains { $0.reasons.contains(.samePhone("+74950000000")) })
  }

  @Test func aClientWhoseNameFoldsToNothingIsStillFoundByItsPhone() throws {
    let f = try ContactFixture()
    let bare = try f.clients.add(Client(name: "АО", phones: [Phone("+7 495 765-43-21")]))
    let named = try f.clients.add(Client(name: "Вектор", phones: [Phone("84957654321")]))
    let pairs = try DuplicateFinder(db: f.db, userId: f.anna, language: .en).scan()
    #expect(pairs.map { [$0.first, $0.second, Int64($0.score)] } == [[bare, named, 80]])
  }

  @Test func personsAreScannedAcrossClients() throws {
    let f = try ContactFixture()
    let a = try f.clients.add(Client(name: "Альфа"))
    let b = try f.clients.add(Client(name: "Омега"))
    let p1 = try f.clients.addPerson(
      ContactPerson(clientId: a, name: "Иванов Пётр", emails: ["petr@alfa.ru"]))
    let p2 = try f.clients.addPerson(
      ContactPerson(clientId: b, name: "Petr Ivanov", emails: ["PETR@alfa.ru"]))
    _ = try f.clients.addPerson(ContactPerson(clientId: b, name: "Сидорова Анна"))
    let pairs = try DuplicateFinder(db: f.db, userId: f.anna, language: .ru).scan(.person)
    #expect(pairs.count == 1)
    #expect(pairs.first?.first == p1)
    #expect(pairs.first?.second == p2)
    #expect(pairs.first?.reasons == [.sameEmail("petr@alfa.ru"), .sameName])
    #expect(pairs.first?.firstName == "Иванов Пётр (Альфа)")
    #expect(pairs.first?.reasonsText(.ru) == "тот же e-mail petr@alfa.ru; то же название")
  }

  @Test func matchesForOneClientUseTheIndexes() throws {
    let f = try ContactFixture()
    let romashka = try f.clients.add(Client(name: "Ромашка", legalForm: "ООО", inn: innA))
    let stroy = try f.clients.add(Client(name: "Стройинвест", emails: ["office@stroy.ru"]))
    _ = try f.clients.add(Client(name: "Вектор"))
    let finder = DuplicateFinder(db: f.db, userId: f.anna, language: .en)
    #expect(try finder.matches(for: Client(name: "Romashka")).map(\.first) == [romashka])
    #expect(try finder.matches(for: Client(name: "Нечто", inn: innA)).map(\.first) == [romashka])
    #expect(
      try finder.matches(for: Client(name: "Стройинвесд", emails: ["Office@Stroy.ru"])).map(
        \.first) == [stroy])
    #expect(try finder.matches(for: Client(name: "Стройинвесд")).map(\.score) == [73])
    // A stored client is not its own duplicate.
    var stored = try #require(try f.clients.client(romashka))
    stored.id = romashka
    #expect(try finder.matches(for: stored).isEmpty)
    #expect(try finder.matches(for: Client(name: "Ромашка", inn: innB)).isEmpty)
  }
}

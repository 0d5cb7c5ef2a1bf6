import CRMCore
import Foundation
import TestSupport
import Testing

/// Phone numbers read by libphonenumber: the region decides national forms, nothing foreign is
/// made Russian, extensions stay, and what cannot be read keeps its text.
@Suite struct PhoneNumberTests {
  @Test(arguments: [
    ("8 (495) 123-45-67", "RU", "+74951234567"),
    ("+7 495 123-45-67", "RU", "+74951234567"),
    ("4951234567", "RU", "+74951234567"),
    ("7 495 123 45 67", "RU", "+74951234567"),
    ("8-800-555-35-35", "RU", "+78005553535"),
    ("+7 (916) 555-01-02", "RU", "+79165550102"),
    // A German mobile with its trunk 0, valid in Germany.
    ("017623384942", "DE", "+4917623384942"),
    // The international prefix 00, from anywhere (Russia's own is 810).
    ("00-1-212-555-7777", "RU", "+12125557777"),
    ("8 10 49 176 23384942", "RU", "+4917623384942"),
    ("04952440757", "IN", "+914952440757"),
    ("905-555-1234", "US", "+19055551234"),
    ("(905) 555-1234", "CA", "+19055551234"),
    ("+44 20 7946 0958", "RU", "+442079460958"),
    ("+44 20 7946 0958", "US", "+442079460958"),
  ])
  func readsInItsRegion(_ raw: String, _ region: String, _ e164: String) {
    #expect(PhoneNumber.e164(raw, region: region) == e164)
    #expect(Phone(raw, region: region).e164 == e164)
    #expect(Phone(raw, region: region).raw == raw)
  }

  /// Numbers that are no valid Russian number are never stored as +7….
  @Test(arguments: ["017623384942", "04952440757", "555-0123", "123", "8 495 123-45-6"])
  func foreignOrBrokenNumbersAreNotMadeRussian(_ raw: String) {
    #expect(PhoneNumber.e164(raw, region: "RU") == nil)
    #expect(Phone(raw).e164 == nil)
    #expect(Phone(raw).raw == raw)
  }

  @Test(arguments: [
    ("+1-418-656-9254;ext=102", "+14186569254", "102"),
    ("tel:+1-418-656-9254;ext=102", "+14186569254", "102"),
    ("+7 495 123-45-67 доб. 12", "+74951234567", "12"),
    ("+7 495 123-45-67 x102", "+74951234567", "102"),
    ("+7 495 123-45-67 ext. 5", "+74951234567", "5"),
  ])
  func extensionsAreReadAndKept(_ raw: String, _ e164: String, _ ext: String) {
    let parsed = PhoneNumber.parse(raw)
    #expect(parsed.e164 == e164)
    #expect(parsed.ext == ext)
    #expect(Phone(raw).raw == raw)
  }

  @Test func writtenCountryCodeIsKeptWhenPossibleThoughNotValid() {
    // +7 1… is no Russian range, but the country was written: not coerced, kept as given.
    #expect(PhoneNumber.parse("+7 123 456-78-90").status == .possible)
    #expect(PhoneNumber.e164("+7 123 456-78-90") == "+71234567890")
  }

  @Test(arguments: ["call me", "+7 495 123-45-67; DROP TABLE", "", "x102 +7 495"])
  func textThatIsNoNumber(_ raw: String) {
    #expect(PhoneNumber.parse(raw).status == .none)
    #expect(PhoneNumber.e164(raw) == nil)
  }

  @Test func regions() {
    #expect(PhoneNumber.isRegion("RU"))
    #expect(PhoneNumber.isRegion("de"))
    #expect(!PhoneNumber.isRegion("XX"))
    #expect(!PhoneNumber.isRegion("RUS"))
  }

  /// The form and every import keep a number that is not valid with its typed text (an office
  /// number, a foreign one without its country code); only text with no number is refused.
  @Test func validatorKeepsUnreadableNumbersAsTypedAndRefusesText() throws {
    let db = try memoryDB()
    let s = try service(db)
    let id = try s.add(
      Client(name: "Ромашка", phones: [Phone("017623384942"), Phone("017623384942", region: "DE")]))
    let c = try #require(try s.client(id))
    #expect(c.phones.map(\.raw) == ["017623384942", "017623384942"])
    #expect(c.phones.map(\.e164) == [nil, "+4917623384942"])
    #expect(throws: CRMError.self) {
      try s.add(Client(name: "Вектор", phones: [Phone("позвонить")]))
    }
    #expect(throws: CRMError.self) { try s.add(Client(name: "Вектор", phones: [Phone("12")])) }
  }

  /// Search finds a foreign number by its international, national and typed forms.
  @Test func searchFindsForeignNumbersInTheirOwnSpellings() throws {
    let db = try memoryDB()
    let s = try service(db)
    let id = try s.add(Client(name: "Müller GmbH", phones: [Phone("0176 2338 4942", region: "DE")]))
    for text in ["+49 176 233", "4917623384942", "176 2338", "0176 2338", "4942"] {
      #expect(try db.page(ClientListQuery(search: text), offset: 0, limit: 5).map(\.id) == [id])
    }
  }

  /// The cost per number, printed (no timing asserted): the CSV import reads one per row.
  @Test func parsesOneHundredThousandNumbers() {
    var valid = 0
    let clock = ContinuousClock()
    let took = clock.measure {
      for i in 0..<100_000 {
        let raw = "+7 9\(10 + i % 90) \(100 + i % 900)-\(10 + i % 90)-\(10 + (i / 90) % 90)"
        if PhoneNumber.e164(raw) != nil { valid += 1 }
      }
    }
    #expect(valid == 100_000)
    print("100,000 Russian numbers parsed in \(took)")
  }
}

import CRMCore
import Testing

@Suite struct RequisitesTests {
  @Test(arguments: ["7707083893", "7702070139", "500100732259"])
  func knownGoodINN(_ inn: String) { #expect(Requisites.isValidINN(inn)) }

  @Test(arguments: [
    "7707083894", "7702070130", "500100732250", "500100732269", "770708389", "77070838930",
    "77070838ab", "", "0000000001",
  ])
  func badINN(_ inn: String) { #expect(!Requisites.isValidINN(inn)) }

  @Test func kpp() {
    #expect(Requisites.isValidKPP("773601001"))
    #expect(Requisites.isValidKPP("7736AB001"))
    #expect(!Requisites.isValidKPP("7736ab001"))
    #expect(!Requisites.isValidKPP("77360100"))
    #expect(!Requisites.isValidKPP("77360100A"))
    #expect(!Requisites.isValidKPP("7736Я0001"))
  }

  @Test func ogrnAndOgrnip() {
    #expect(Requisites.isValidOGRN("1027700132195"))
    #expect(!Requisites.isValidOGRN("1027700132194"))
    #expect(!Requisites.isValidOGRN("102770013219"))
    // ОГРНИП: 14 digits mod 13 mod 10.
    let ogrnip = Requisites.completeOGRN([3, 0, 4, 5, 0, 0, 1, 1, 6, 0, 0, 0, 1, 5])
    #expect(ogrnip.count == 15)
    #expect(Requisites.isValidOGRN(ogrnip))
    var wrong = Array(ogrnip)
    wrong[14] = wrong[14] == "0" ? "1" : "0"
    #expect(!Requisites.isValidOGRN(String(wrong)))
  }

  @Test func bik() {
    #expect(Requisites.isValidBIK("044525225"))
    #expect(!Requisites.isValidBIK("04452522"))
    #expect(!Requisites.isValidBIK("04452522x"))
  }

  @Test func accounts() {
    #expect(Requisites.isValidSettlementAccount("40602810700000000025", bik: "049805746"))
    #expect(!Requisites.isValidSettlementAccount("40602810800000000025", bik: "049805746"))
    #expect(!Requisites.isValidSettlementAccount("40702810000000000001", bik: "044525225"))
    #expect(Requisites.isValidCorrespondentAccount("30101810800000000746", bik: "049805000"))
    #expect(Requisites.isValidCorrespondentAccount("30101810400000000225", bik: "044525225"))
    #expect(!Requisites.isValidCorrespondentAccount("30101810500000000225", bik: "044525225"))
    #expect(!Requisites.isValidCorrespondentAccount("3010181040000000022", bik: "044525225"))
  }

  @Test func completeINNMakesValidNumbers() {
    #expect(Requisites.completeINN([7, 7, 0, 7, 0, 8, 3, 8, 9]) == "7707083893")
    #expect(Requisites.completeINN([5, 0, 0, 1, 0, 0, 7, 3, 2, 2]) == "500100732259")
  }

  @Test func phones() {
    #expect(PhoneNumber.e164("8 (495) 123-45-67") == "+74951234567")
    #expect(PhoneNumber.e164("+7 495 123 45 67") == "+74951234567")
    #expect(PhoneNumber.e164("84951234567") == "+74951234567")
    #expect(PhoneNumber.e164("4951234567") == "+74951234567")
    #expect(PhoneNumber.e164("+44 20 7946 0958") == "+442079460958")
    #expect(PhoneNumber.e164("+7 495 123-45-67 доб. 123") == "+74951234567")
    #expect(PhoneNumber.e164("123") == nil)
    #expect(PhoneNumber.e164("call me") == nil)
    #expect(PhoneNumber.e164("+7 495 123-45-67; DROP TABLE") == nil)
  }

  @Test func emails() {
    #expect(EmailAddress.isValid("info@romashka.ru"))
    #expect(!EmailAddress.isValid("info@romashka"))
    #expect(!EmailAddress.isValid("info romashka@x.ru"))
    #expect(!EmailAddress.isValid("a@b@c.ru"))
    #expect(!EmailAddress.isValid("@x.ru"))
    #expect(!EmailAddress.isValid("a@x."))
  }
}

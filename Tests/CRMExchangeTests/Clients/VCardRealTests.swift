import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMExchange

/// vCards real programs wrote (Fixtures/real/vcard, sources in SOURCES.md), imported into an
/// empty base: what each card must become, field by field.
@Suite struct VCardRealTests {
  private func notes(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

  /// iOS 5: CR CR LF line ends, item groups, a photo; US numbers read with --region US.
  @Test func iPhone() throws {
    let base = try ImportedBase(file: "ezvcard-John_Doe_IPHONE.vcf", region: "US")
    #expect(base.report.rejected == 0)
    let all = try base.all()
    #expect(all.count == 1)
    let (c, persons) = try #require(all.first)
    #expect(c.kind == .company)
    #expect(c.name == "IBM")
    #expect(c.city == "New York")
    #expect(c.legalAddress.hasPrefix("Street4"))
    #expect(c.website == "http://www.ibm.com")
    let p = try #require(persons.first)
    #expect(p.name == "Mr. John Richter James Doe Sr.")
    #expect(p.position == "Money Counter")
    #expect(p.birthday == "2012-06-06")
    #expect(p.emails == ["john.doe@ibm.com"])
    #expect(
      p.phones.map(\.raw) == [
        "905-555-1234", "905-666-1234", "905-777-1234", "905-888-1234", "905-999-1234",
        "905-111-1234", "905-222-1234",
      ])
    #expect(p.phones.first?.e164 == "+19055551234")
    #expect(!p.phones.contains { $0.e164?.hasPrefix("+7") ?? false })
    #expect(notes(p.notes).contains("Nickname: Johny"))
    #expect(notes(p.notes).contains("Department: Accounting"))
    #expect(p.notes.contains("Address (home): Silicon Alley 5"))
  }

  /// iOS 6.1.3: CR CR LF; a number that is not Russian stays as written.
  @Test func iPhoneIOS613() throws {
    let base = try ImportedBase(file: "aosp-v30_ios_613_multiline.vcf")
    let (c, persons) = try #require(try base.all().first)
    #expect(c.name == "Smith Auto Repair")
    #expect(c.website == "www.smithauto.com")
    let p = try #require(persons.first)
    #expect(p.name == "Bob Smith")
    #expect(p.emails == ["bob@smithauto.com"])
    #expect(p.phones == [Phone(raw: "(650) 555-1212", e164: nil)])
    #expect(base.warnings.map(\.field) == ["TEL"])
  }

  /// Android 2.1: cards with only an e-mail, QUOTED-PRINTABLE UTF-8 names with soft breaks.
  @Test func android() throws {
    let base = try ImportedBase(file: "ezvcard-John_Doe_ANDROID.vcf")
    #expect(base.report.rejected == 0)
    let all = try base.all()
    #expect(all.count == 6)
    #expect(all.prefix(2).map(\.0.name) == ["john.doe@company.com", "jane.doe@company.com"])
    #expect(all.prefix(2).map(\.0.emails) == [["john.doe@company.com"], ["jane.doe@company.com"]])
    #expect(all.prefix(2).map(\.0.tags) == [["My Contacts"], ["My Contacts"]])
    #expect(all[2].0.name == "Ñ Ñ Ñ Ñ Ñ")
    #expect(all[2].0.phones.map(\.raw) == ["123456789"])
    // The name continued over a soft break: "…=C3=91=" / "=20=C3=91…".
    #expect(all[3].0.name == Array(repeating: "Ñ", count: 11).joined(separator: " "))
    #expect(all[3].0.phones.count == 4)
    #expect(all[3].0.notes.hasPrefix("Ñ Ñ Ñ Ñ Ñ Ñ Ñ ÑÑ Ñ"))
  }

  /// Evolution: quoted parameters (X-COUCHDB-UUID="…"), X-AIM, spouse, manager, assistant.
  @Test func evolution() throws {
    let base = try ImportedBase(file: "ezvcard-John_Doe_EVOLUTION.vcf", region: "US")
    let (c, persons) = try #require(try base.all().first)
    #expect(c.name == "IBM")
    #expect(c.website == "http://www.ibm.com")
    #expect(c.tags == ["VIP"])
    let p = try #require(persons.first)
    #expect(p.name == "Mr. John Richter, James Doe Sr.")
    #expect(p.position == "Money Counter")
    #expect(p.birthday == "1980-03-22")
    #expect(p.phones.map(\.e164) == ["+19056661234", "+19055551234"])
    let n = notes(p.notes)
    #expect(n.contains("Messenger: aim: johnny5@aol.com"))
    #expect(n.contains("Spouse: Maria"))
    #expect(n.contains("Manager: Big Blue"))
    #expect(n.contains("Assistant: Little Red"))
    #expect(n.contains("Department: Accounting, Dungeon"))
    #expect(n.contains("Nickname: Johny"))
    #expect(p.notes.contains("THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS"))
    #expect(!p.notes.contains("COUCHDB"))
  }

  /// Outlook 2.1: bare parameters, an unfolded 1000-character NOTE, LABEL in QP (skipped).
  @Test func outlook() throws {
    let base = try ImportedBase(file: "ezvcard-John_Doe_MS_OUTLOOK.vcf", region: "US")
    let (c, persons) = try #require(try base.all().first)
    #expect(c.name == "IBM")
    #expect(c.city == "Albaney")
    #expect(c.legalAddress == "Cresent moon drive, 12345, New York, United States of America")
    #expect(c.website == "http://www.ibm.com")
    let p = try #require(persons.first)
    #expect(p.phones.map(\.e164) == ["+19055551234", "+19056661234"])
    #expect(p.emails == ["john.doe@ibm.cm"])
    #expect(p.birthday == "1980-03-22")
    let n = notes(p.notes)
    #expect(n.contains("Role: Counting Money"))
    #expect(n.contains("Anniversary: 13.01.2011"))
    #expect(n.contains("Messenger: im: johny5@aol.com"))
    #expect(n.contains("Manager: Big Blue"))
    #expect(p.notes.contains("Address (home): Silicon Alley 5"))
    #expect(!p.notes.contains("Cresent moon drive\r"))
  }

  /// Outlook 2003: phone fields holding words go to the note with a warning; the card stays.
  @Test func outlook2003() throws {
    let base = try ImportedBase(file: "ezvcard-outlook-2003.vcf")
    #expect(base.report.rejected == 0)
    let (c, persons) = try #require(try base.all().first)
    #expect(c.name == "Company, The")
    let p = try #require(persons.first)
    #expect(p.name == "John Doe III")
    #expect(p.position == "The Job Title")
    #expect(p.phones.isEmpty)
    #expect(p.birthday == "1980-03-21")
    let n = notes(p.notes)
    #expect(
      n.prefix(4) == [
        "This is the note field!!", "Second line", "Third line is empty", "Nickname: Joey",
      ])
    #expect(n.contains("Phone: BusinessPhone"))
    #expect(n.contains("Phone: BusinessFaxPhone"))
    #expect(base.warnings.filter { $0.field == "TEL" }.count == 4)
  }

  /// Thunderbird: five e-mails, two addresses (the home one is the person's), two URLs.
  @Test func thunderbird() throws {
    let base = try ImportedBase(
      file: "ezvcard-thunderbird-MoreFunctionsForAddressBook-extension.vcf")
    let (c, persons) = try #require(try base.all().first)
    #expect(c.name == "TheOrganization")
    #expect(c.city == "New York")
    #expect(c.legalAddress == "222 Broadway, Suite 100, 98765, NY, USA")
    #expect(c.postalAddress == "")
    #expect(c.website == "http://www.work-webpage.com")
    let p = try #require(persons.first)
    #expect(p.emails.count == 5)
    #expect(p.phones.count == 5)
    #expect(p.birthday == "1970-09-21")
    let n = notes(p.notes)
    #expect(n.contains("Website: http://www.private-webpage.com"))
    #expect(n.contains("Address (home, postal): 123 Main St, Apt 10, Austin, 12345, TX, USA"))
    #expect(n.contains("Spouse: TheSpouse"))
    #expect(n.contains("Anniversary: 30.04.1990"))
  }

  /// RFC 6350's example: `tel:` URIs with an extension, a birthday without a year.
  @Test func rfc6350Example() throws {
    let base = try ImportedBase(file: "ezvcard-rfc6350-example.vcf")
    let (c, persons) = try #require(try base.all().first)
    #expect(c.name == "Viagenie")
    #expect(c.city == "Quebec")
    #expect(c.legalAddress == "Suite D2-630, 2875 Laurier, G1V 2M2, QC, Canada")
    #expect(c.website == "")
    let p = try #require(persons.first)
    #expect(p.name == "Simon Perreault")
    #expect(p.phones.map(\.raw) == ["+1-418-656-9254;ext=102", "+1-418-262-6501"])
    #expect(p.phones.map(\.e164) == ["+14186569254", "+14182626501"])
    #expect(p.emails == ["simon.perreault@viagenie.ca"])
    #expect(p.birthday == "")
    let n = notes(p.notes)
    #expect(n.contains("Birthday: 03.02"))
    #expect(n.contains("Website: http://nomis80.org"))
    #expect(n.contains("Gender: M"))
  }

  /// Mac Address Book (as ez-vcard keeps it): `00-1-212-555-7777`, the international prefix.
  @Test func lotusNotes() throws {
    let base = try ImportedBase(file: "ezvcard-John_Doe_LOTUS_NOTES.vcf")
    let (c, persons) = try #require(try base.all().first)
    #expect(c.name == "IBM")
    #expect(c.website == "http://www.sun.com")
    let p = try #require(persons.first)
    #expect(p.name == "Mr. Doe John I Johny")
    #expect(p.phones.map(\.raw) == ["+1 (212) 204-34456", "00-1-212-555-7777"])
    #expect(p.phones.map(\.e164) == [nil, "+12125557777"])
    #expect(p.emails == ["john.doe@ibm.com", "billy_bob@gmail.com"])
    // `NICKNAME:Johny\,JayJay`: the comma is escaped, so it is one nickname.
    #expect(notes(p.notes).contains("Nickname: Johny,JayJay"))
    #expect(notes(p.notes).contains("X-GENERATOR: Cardme Generator"))
  }

  /// Japanese phones: Shift_JIS, also with 0x5C ("\") as the second byte of a character.
  @Test func shiftJIS() throws {
    let one = try ImportedBase(file: "aosp-v21_japanese_1.vcf")
    let (c, _) = try #require(try one.all().first)
    #expect(c.name == "安藤ロイド")
    #expect(c.phones == [Phone(raw: "0300000000", e164: nil)])
    let three = try ImportedBase(file: "aosp-v30_japanese.vcf", region: "JP")
    #expect(try three.all().map(\.0.name) == ["伊能 圭一 伊予"])
    #expect(three.warnings.isEmpty)
  }

  /// 2.1 with a QP soft break whose next line starts with a space ("come=" / " to the aid").
  @Test func quotedPrintableSoftBreak() throws {
    let base = try ImportedBase(file: "aosp-v21_complicated.vcf", region: "US")
    let (c, persons) = try #require(try base.all().first)
    #expect(c.name == "Gump Shrimp Co.")
    let p = try #require(persons.first)
    #expect(p.name == "Joe Due")
    #expect(p.position == "Shrimp Man")
    let n = notes(p.notes)
    #expect(n.contains("Now's the time for all folk to come to the aid of their country."))
    #expect(n.contains("The following note is the example from RFC 2045."))
    #expect(n.contains("Role: Fish Cake Keeper!"))
    #expect(p.emails == ["forrestgump@walladalla.com", "cell@example.com"])
  }

  /// `#` comment lines are skipped, except one inside a quoted-printable soft break.
  @Test func commentLines() throws {
    let base = try ImportedBase(file: "aosp-v21_invalid_comment_line.vcf")
    let (c, _) = try #require(try base.all().first)
    #expect(c.name == "Conference Call")
    #expect(c.notes == "This is an (sharp ->#<- sharp) example. This message must NOT be ignored.")
  }

  /// A value broken over lines without folding, an address continued by `\`.
  @Test func unfoldedAndBackslashContinuedValues() throws {
    let omega = try ImportedBase(file: "aosp-v21_invalid_multiple_line.vcf")
    let (o, _) = try #require(try omega.all().first)
    #expect(o.name == "Omega")
    #expect(o.emails == ["omega@example.com"])
    let bogus = try ImportedBase(file: "aosp-v21_adr_multiple_line.vcf")
    let (b, _) = try #require(try bogus.all().first)
    #expect(b.name == "bogus")
    #expect(b.city == "Hamburg")
    #expect(b.legalAddress == "Grindelberg 999, 99999, Deutschland")
    #expect(b.website == "http://bogus.com/")
    let n = notes(b.notes)
    #expect(n.contains("Birthday: 03.12.2008"))
    #expect(
      b.notes.contains("Hermann v. Brevern\n9999999\nPackstation 999, Hamburg, 99999, Deutschland"))
  }

  /// Escapes in N and FN; Android's own nickname row naming a card with no name.
  @Test func escapesAndAndroidCustomRows() throws {
    let slash = try ImportedBase(file: "aosp-v21_backslash.vcf")
    #expect(try slash.all().map(\.0.name) == ["A;BC;D:E\\"])
    let im = try ImportedBase(file: "aosp-v21_im.vcf")
    let (c, _) = try #require(try im.all().first)
    #expect(c.name == "Nick")
    #expect(c.notes == "Nickname: Nick\nMessenger: gtalk: hhh@gmail.com")
  }

  @Test func gmailAndVobject() throws {
    let gmail = try ImportedBase(file: "ezvcard-gmail-single.vcf")
    let (g, persons) = try #require(try gmail.all().first)
    #expect(g.name == "TheCompany")
    #expect(g.city == "Custom City")
    #expect(g.website == "http://TheProfile.com")
    let p = try #require(persons.first)
    #expect(p.name == "Greg Dartmouth")
    #expect(p.birthday == "1960-09-10")
    #expect(p.emails == ["gdartmouth@hotmail.com"])
    #expect(notes(p.notes).contains("Messenger: icq: 123456789"))
    #expect(
      p.notes.hasPrefix(
        "This is GMail's note field.\nIt should be added as a NOTE type.\nACustomField: CustomField"
      ))
    let radicale = try ImportedBase(file: "vobject-radicale-1587.vcf")
    let (r, _) = try #require(try radicale.all().first)
    #expect(r.name == "Given Family")
    #expect(r.notes == "GEO: 37.386013;-122.082932")
  }
}

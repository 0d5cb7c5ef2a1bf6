import CRMCore
import Foundation
import TestSupport
import Testing

@testable import CRMExchange

/// What `crm export acts --format enterprisedata` writes, checked by xmllint against 1C's own
/// schema of each version that has one kept (Fixtures/real/enterprisedata/SOURCES.md). The acts
/// cover a contract and a period, an individual entrepreneur without VAT, a euro act at a
/// rate, and names full of XML specials.
@Suite struct EnterpriseDataSchemaTests {
  private func write(_ version: String, _ acts: [ActExport]) throws -> Data {
    let v = try #require(EnterpriseDataVersion.named(version))
    try EnterpriseDataWriter.check(acts: acts, version: v, language: .ru)
    return EnterpriseDataWriter.write(
      acts: acts, version: v, messageNo: 5, createdAt: "2026-12-02T10:15:00", from: "TermCRM",
      to: "ООО «ТермСофт»")
  }

  private func validate(_ data: Data, _ version: String) throws -> EnterpriseDataSchema.Result {
    do {
      return try EnterpriseDataSchema.validate(data, version: version)
    } catch EnterpriseDataSchema.Failure.noXmllint {
      Issue.record("xmllint is missing (scripts/test.sh installs libxml2-utils)")
      throw EnterpriseDataSchema.Failure.noXmllint
    }
  }

  @Test(arguments: ["1.6", "1.8"])
  func exportValidatesAgainstTheVersionsSchema(version: String) throws {
    // 20 %, 20 %, none and (the euro licence moved to 20 %, as 1.6 and 1.8 must) 20 %.
    let r = try validate(try write(version, sampleActs18()), version)
    #expect(r.valid, "\(version): \(r.output)")
  }

  @Test(arguments: ["1.6", "1.8"])
  func aCommentAndAZeroRateValidateToo(version: String) throws {
    var acts = sampleActs18()
    acts[1].lines[0].vatRate = "0"
    acts[1].comment = "Оплата до 15.12 <срочно> & \"без пени\""
    let data = try write(version, acts)
    let r = try validate(data, version)
    #expect(r.valid, "\(version): \(r.output)")
    // The comment goes where the version keeps it, not dropped.
    #expect(String(decoding: data, as: UTF8.self).contains("<Комментарий>"))
  }

  /// The check is not a rubber stamp: what 1C would reject, xmllint rejects here.
  @Test func theSchemaRejectsWhat1CRejects() throws {
    let good = String(decoding: try write("1.8", sampleActs18()), as: UTF8.self)
    let cases: [(String, String, String)] = [
      // 1.8's enumeration of rates ends at НДС20 (issue: "НДС22 is not in 1.8's list").
      (
        "НДС22", good.replacingOccurrences(of: "<СтавкаНДС>НДС20<", with: "<СтавкаНДС>НДС22<"),
        "НДС22"
      ),
      // A currency without ДанныеКлассификатора (issue: "255 times").
      (
        "Код",
        good.replacingOccurrences(of: "<ДанныеКлассификатора>", with: "")
          .replacingOccurrences(of: "</ДанныеКлассификатора>", with: ""),
        "ДанныеКлассификатора"
      ),
      // Elements out of the schema's order.
      (
        "order",
        good.replacingOccurrences(
          of: "<ВидОперации>РеализацияКлиенту</ВидОперации>", with: ""
        ).replacingOccurrences(
          of: "<СуммаВключаетНДС>",
          with: "<ВидОперации>РеализацияКлиенту</ВидОперации><СуммаВключаетНДС>"),
        "ВидОперации"
      ),
    ]
    for (name, xml, mention) in cases {
      #expect(xml != good, "\(name): the mutation changed nothing")
      let r = try validate(Data(xml.utf8), "1.8")
      #expect(!r.valid, "\(name) passed")
      #expect(r.output.contains(mention), "\(name): \(r.output)")
    }
    // 1.6 writes the currency's Код directly; 1.8's shape fails there.
    let v16 = String(decoding: try write("1.6", sampleActs18()), as: UTF8.self)
    let wrong = v16.replacingOccurrences(
      of: "<Валюта>\n",
      with: "<Валюта>\n<ДанныеКлассификатора><Код>643</Код></ДанныеКлассификатора>\n")
    #expect(!(try validate(Data(wrong.utf8), "1.6")).valid)
  }

  /// Versions without a kept schema are named here, so adding one is noticed.
  @Test func everyVersionWithoutASchemaIsKnown() {
    let unchecked = EnterpriseDataVersion.supported.map(\.version).filter {
      EnterpriseDataSchema.files[$0] == nil
    }
    #expect(unchecked == ["1.11", "1.17"])
  }
}

import Foundation
import Testing

@testable import CRMCore

/// An entry action's text reads back as the same action (the sales-process file and the stage
/// editor store actions as text).
@Suite struct EntryActionTests {
  @Test(arguments: [
    "plan call +3d", "plan call +3d \"Позвонить\"", "plan meeting +1w \"Встреча \\\"по месту\\\"\"",
    "draft offer", "require amount",
    // Found by fuzzing (values target): a quoted delay with a space and tabs read back as a
    // delay and a subject («plan call +6d  и» → after "+6d", subject "и").
    "plan call \"+6d  и\t\t\t\t\t\t\t\t\t\"",
  ])
  func textReadsBackAsTheSameAction(_ text: String) throws {
    let action = try EntryAction.parse(text, language: .en)
    #expect(try EntryAction.parse(action.text, language: .en) == action, "\(action.text)")
  }

  @Test func aDelayWithASpaceIsQuoted() throws {
    let action = try EntryAction.parse("plan call \"+6d  и\" \"тема\"", language: .ru)
    #expect(action.text == "plan call \"+6d  и\" \"тема\"")
  }
}

import CRMCore
import Foundation

/// A clock the test moves by hand.
final class HandClock: Clock, @unchecked Sendable {
  var current: Date
  init(_ d: Date) { current = d }
  func now() -> Date { current }
}

/// 2026-11-23 12:00 UTC, a Monday.
let paneNow = Date(timeIntervalSince1970: 1_795_435_200)
let utc = TimeZone(identifier: "UTC")!

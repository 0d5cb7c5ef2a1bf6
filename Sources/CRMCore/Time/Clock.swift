import Foundation

/// Where "now" comes from; tests inject a fixed or stepping clock.
public protocol Clock: Sendable {
  func now() -> Date
}

/// The wall clock.
public struct SystemClock: Clock {
  public init() {}
  public func now() -> Date { Date() }
}

/// A clock that starts at a given instant and advances by `step` seconds on every reading.
public final class SteppingClock: Clock, @unchecked Sendable {
  private var current: Date
  private let step: TimeInterval
  private let lock = NSLock()

  public init(start: Date, step: TimeInterval = 1) {
    self.current = start
    self.step = step
  }

  public func now() -> Date {
    lock.lock()
    defer { lock.unlock() }
    let value = current
    current = current.addingTimeInterval(step)
    return value
  }
}

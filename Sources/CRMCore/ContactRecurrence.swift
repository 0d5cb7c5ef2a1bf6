import Foundation

/// Interim: replaced by `Recurrence` from When.swift when that lands.
struct ContactRecurrence {
  var every: Int
  var unit: Calendar.Component
  var letter: Character

  init?(_ text: String) {
    let t = text.trimmingSpaces().lowercased()
    guard let last = t.last, let n = Int(t.dropLast()), (1...365).contains(n) else { return nil }
    every = n
    letter = last
    switch last {
    case "d": unit = .day
    case "w": unit = .weekOfYear
    case "m": unit = .month
    default: return nil
    }
  }

  var text: String { "\(every)\(letter)" }

  func next(after date: Date, anchor: Date, _ cal: Calendar) -> Date {
    var n = 1
    while true {
      let d = cal.date(byAdding: unit, value: every * n, to: anchor) ?? anchor
      if d > date { return d }
      n += 1
    }
  }
}

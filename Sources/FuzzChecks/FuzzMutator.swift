import CRMCore
import Foundation

/// Structure-aware mutations of valid inputs, for the seeded harness that runs without
/// libFuzzer: whole lines are duplicated, dropped, swapped or cut; the format's own tokens
/// (separators, quotes, section keys, BEGIN/END…) are inserted; bytes are flipped to the ones
/// parsers trip on (NUL, CR, quote, 0xFF, a lone UTF-8 lead byte); runs are repeated to make
/// long lines and deep nesting.
public struct FuzzMutator {
  public var random: SeededRandom
  let tokens: [[UInt8]]
  static let special: [UInt8] = [
    0x00, 0x0A, 0x0D, 0x22, 0x2C, 0x3B, 0x09, 0x3D, 0x5C, 0x80, 0xD0, 0xFF,
  ]

  public init(seed: UInt64, target: FuzzTarget) {
    random = SeededRandom(seed: seed)
    tokens = FuzzSeeds.dictionary(target).map { Array($0.utf8) }
  }

  /// One to four mutations of `input`, at most `limit` bytes.
  public mutating func mutate(_ input: Data, limit: Int = 4096) -> Data {
    var b = [UInt8](input)
    for _ in 0..<Int.random(in: 1...4, using: &random) { step(&b) }
    return Data(b.prefix(limit))
  }

  /// Random bytes, mostly printable, sometimes with tokens.
  public mutating func noise(count: Int) -> Data {
    var b: [UInt8] = []
    while b.count < count {
      switch Int.random(in: 0..<10, using: &random) {
      case 0..<6: b.append(UInt8.random(in: 0x20...0x7E, using: &random))
      case 6: b += tokens.randomElement(using: &random) ?? []
      case 7: b += Array("Ёлка".utf8)
      default: b.append(UInt8.random(in: 0...255, using: &random))
      }
    }
    return Data(b)
  }

  mutating func position(_ b: [UInt8]) -> Int { Int.random(in: 0...b.count, using: &random) }

  /// Start offsets of the lines of `b`.
  func lines(_ b: [UInt8]) -> [Range<Int>] {
    var out: [Range<Int>] = []
    var start = 0
    for (i, c) in b.enumerated() where c == 0x0A {
      out.append(start..<(i + 1))
      start = i + 1
    }
    if start < b.count { out.append(start..<b.count) }
    return out
  }

  mutating func step(_ b: inout [UInt8]) {
    let ls = lines(b)
    switch Int.random(in: 0..<10, using: &random) {
    case 0, 1:
      if let t = tokens.randomElement(using: &random) {
        // At a line start half of the time: keys and markers begin lines.
        let at =
          Bool.random(using: &random)
          ? (ls.randomElement(using: &random)?.lowerBound ?? 0) : position(b)
        b.insert(contentsOf: t, at: at)
      }
    case 2:
      if let l = ls.randomElement(using: &random) { b.insert(contentsOf: b[l], at: l.lowerBound) }
    case 3:
      if let l = ls.randomElement(using: &random) { b.removeSubrange(l) }
    case 4:
      if ls.count >= 2 {
        let i = Int.random(in: 0..<ls.count, using: &random)
        let j = Int.random(in: 0..<ls.count, using: &random)
        let (a, c) = (min(i, j), max(i, j))
        if a != c {
          let first = Array(b[ls[a]])
          let second = Array(b[ls[c]])
          b.replaceSubrange(ls[c], with: first)
          b.replaceSubrange(ls[a], with: second)
        }
      }
    case 5:
      if !b.isEmpty {
        b[Int.random(in: 0..<b.count, using: &random)] =
          Self.special.randomElement(using: &random)!
      }
    case 6:
      if !b.isEmpty {
        let i = Int.random(in: 0..<b.count, using: &random)
        b[i] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
      }
    case 7:
      b.removeSubrange(position(b)..<b.count)
    case 8:
      // A run repeated: long fields, long lines, deep nesting.
      if !b.isEmpty {
        let s = Int.random(in: 0..<b.count, using: &random)
        let e = min(b.count, s + Int.random(in: 1...16, using: &random))
        let run = Array(b[s..<e])
        let times = Int.random(in: 2...200, using: &random)
        b.insert(contentsOf: Array(repeating: run, count: times).flatMap { $0 }, at: s)
      }
    default:
      // A digit changed, or digits inserted: dates, amounts, line numbers.
      let digits = (0..<Int.random(in: 1...12, using: &random)).map { _ in
        UInt8.random(in: 0x30...0x39, using: &random)
      }
      if let i = b.indices.filter({ (0x30...0x39).contains(b[$0]) }).randomElement(using: &random) {
        b.replaceSubrange(i...i, with: digits)
      } else {
        b.insert(contentsOf: digits, at: position(b))
      }
    }
  }
}

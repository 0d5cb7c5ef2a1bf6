import Foundation

// Byte-level machinery of the bank statement reader: the single-byte code pages, one decoder per
// line, the splitter that finds line ends in chunks, and the table that reads each distinct key
// only once.

/// The upper halves (0x80–0xFF) of the two single-byte code pages 1C names in `Кодировка=`,
/// as Unicode scalars; 0 marks a byte the code page leaves undefined. Foundation on Linux has no
/// CP866, and iconv is not wanted, so both are here.
enum CodePage {
  /// Windows-1251 (`Кодировка=Windows`). 0x98 is undefined.
  static let cp1251: [UInt16] = [
    0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
    0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
    0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x0000, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
    0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
    0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
    0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
    0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
    0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
    0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F,
    0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
    0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
    0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
    0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
    0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
    0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
  ]

  /// CP866, the DOS Cyrillic code page (`Кодировка=DOS`): letters, box drawing, Ё/ё and a few
  /// signs. Every byte is defined.
  static let cp866: [UInt16] = [
    0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
    0x0418, 0x0419, 0x041A, 0x041B, 0x041C, 0x041D, 0x041E, 0x041F,
    0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
    0x0428, 0x0429, 0x042A, 0x042B, 0x042C, 0x042D, 0x042E, 0x042F,
    0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
    0x0438, 0x0439, 0x043A, 0x043B, 0x043C, 0x043D, 0x043E, 0x043F,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x2561, 0x2562, 0x2556,
    0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510,
    0x2514, 0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F,
    0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256C, 0x2567,
    0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B,
    0x256A, 0x2518, 0x250C, 0x2588, 0x2584, 0x258C, 0x2590, 0x2580,
    0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
    0x0448, 0x0449, 0x044A, 0x044B, 0x044C, 0x044D, 0x044E, 0x044F,
    0x0401, 0x0451, 0x0404, 0x0454, 0x0407, 0x0457, 0x040E, 0x045E,
    0x00B0, 0x2219, 0x00B7, 0x221A, 0x2116, 0x00A4, 0x25A0, 0x00A0,
  ]

  static func table(_ e: BankEncoding) -> [UInt16] { e == .cp866 ? cp866 : cp1251 }

  /// For each high byte its UTF-8 form: 4 bytes per entry, the 4th is the length (0: undefined).
  static func expansion(_ e: BankEncoding) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: 128 * 4)
    for (i, scalar) in table(e).enumerated() where scalar != 0 {
      let utf8 = Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
      for (j, byte) in utf8.enumerated() { out[i * 4 + j] = byte }
      out[i * 4 + 3] = UInt8(utf8.count)
    }
    return out
  }

  static let cp1251Expansion = expansion(.cp1251)
  static let cp866Expansion = expansion(.cp866)

  /// Unicode scalar → byte, for the writer.
  static func reverse(_ e: BankEncoding) -> [UInt32: UInt8] {
    var out: [UInt32: UInt8] = [:]
    for (i, scalar) in table(e).enumerated() where scalar != 0 {
      out[UInt32(scalar)] = UInt8(0x80 + i)
    }
    return out
  }

  static let cp1251Reverse = reverse(.cp1251)
  static let cp866Reverse = reverse(.cp866)

  /// `text` in the encoding; a character the code page lacks becomes `?`.
  static func encode(_ text: String, _ e: BankEncoding) -> [UInt8] {
    if e == .utf8 { return Array(text.utf8) }
    let map = e == .cp866 ? cp866Reverse : cp1251Reverse
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    for s in text.unicodeScalars {
      if s.value < 0x80 {
        out.append(UInt8(s.value))
      } else {
        out.append(map[s.value] ?? UInt8(ascii: "?"))
      }
    }
    return out
  }
}

/// Turns the bytes of one line into a String, once per line.
struct LineDecoder {
  let encoding: BankEncoding
  private let expansion: [UInt8]

  init(_ encoding: BankEncoding) {
    self.encoding = encoding
    expansion = encoding == .cp866 ? CodePage.cp866Expansion : CodePage.cp1251Expansion
  }

  /// Nil when the bytes are not valid in the encoding (invalid UTF-8, 0x98 in Windows-1251).
  func decode(_ b: UnsafeBufferPointer<UInt8>) -> String? {
    if b.isEmpty { return "" }
    if encoding == .utf8 { return isValidUTF8(b) ? String(decoding: b, as: UTF8.self) : nil }
    var valid = true
    let text = expansion.withUnsafeBufferPointer { table in
      String(unsafeUninitializedCapacity: b.count * 3) { out in
        var j = 0
        for c in b {
          if c < 0x80 {
            out[j] = c
            j += 1
            continue
          }
          let k = Int(c &- 0x80) &* 4
          let n = Int(table[k + 3])
          if n == 0 {
            valid = false
            return 0
          }
          out[j] = table[k]
          if n > 1 { out[j + 1] = table[k + 1] }
          if n > 2 { out[j + 2] = table[k + 2] }
          j += n
        }
        return j
      }
    }
    return valid ? text : nil
  }
}

/// Splits bytes fed in chunks into lines ending in CRLF, LF or a lone CR (mixed freely). A line
/// cut by a chunk boundary is carried over; that carry is the only copy made.
struct LineSplitter {
  private(set) var carry: [UInt8] = []
  /// The last chunk ended in CR: an LF starting the next one belongs to it.
  private var skipLF = false
  /// Lines handed out so far; the number of the last one.
  private(set) var lineNumber = 0

  mutating func feed<E: Error>(
    _ chunk: UnsafeBufferPointer<UInt8>,
    _ body: (UnsafeBufferPointer<UInt8>, Int) throws(E) -> Void
  ) throws(E) {
    guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
    let n = chunk.count
    var start = 0
    if skipLF {
      skipLF = false
      if base[0] == 0x0A { start = 1 }
    }
    // The next LF at or after `start`, found once and reused, so a file of lone CRs stays linear.
    var nextLF = -1
    while start < n {
      if nextLF < start {
        if let p = memchr(base + start, 0x0A, n - start) {
          nextLF = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
        } else {
          nextLF = n
        }
      }
      var end = nextLF
      if let p = memchr(base + start, 0x0D, nextLF - start) {
        end = base.distance(to: p.assumingMemoryBound(to: UInt8.self))
      }
      if end == n { break }
      var next = end + 1
      if base[end] == 0x0D {
        if end + 1 == n {
          skipLF = true
        } else if base[end + 1] == 0x0A {
          next = end + 2
        }
      }
      try emit(UnsafeBufferPointer(start: base + start, count: end - start), body)
      start = next
    }
    if start < n {
      carry.append(contentsOf: UnsafeBufferPointer(start: base + start, count: n - start))
    }
  }

  /// The last line when the file does not end with a line break.
  mutating func finish<E: Error>(_ body: (UnsafeBufferPointer<UInt8>, Int) throws(E) -> Void)
    throws(E)
  {
    guard !carry.isEmpty else { return }
    let last = carry
    carry = []
    lineNumber += 1
    try last.withUnsafeBufferPointer { (b) throws(E) in try body(b, lineNumber) }
  }

  private mutating func emit<E: Error>(
    _ line: UnsafeBufferPointer<UInt8>,
    _ body: (UnsafeBufferPointer<UInt8>, Int) throws(E) -> Void
  ) throws(E) {
    lineNumber += 1
    if carry.isEmpty {
      try body(line, lineNumber)
      return
    }
    carry.append(contentsOf: line)
    var whole = carry
    carry = []
    try whole.withUnsafeBufferPointer { (b) throws(E) in try body(b, lineNumber) }
    whole.removeAll(keepingCapacity: true)
    carry = whole
  }
}

/// Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). The
/// stdlib's `String(validating:as:)` is generic and, unspecialized, looks up type metadata on
/// every call.
func isValidUTF8(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
  let n = b.count
  var i = 0
  while i < n {
    let c = b[i]
    if c < 0x80 {
      i += 1
      continue
    }
    func continuation(_ k: Int) -> Bool { i + k < n && b[i + k] & 0xC0 == 0x80 }
    switch c {
    case 0xC2...0xDF:
      guard continuation(1) else { return false }
      i += 2
    case 0xE0...0xEF:
      guard continuation(1), continuation(2) else { return false }
      let c1 = b[i + 1]
      if (c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) { return false }
      i += 3
    case 0xF0...0xF4:
      guard continuation(1), continuation(2), continuation(3) else { return false }
      let c1 = b[i + 1]
      if (c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90) { return false }
      i += 4
    default:
      return false
    }
  }
  return true
}

/// ASCII spaces and tabs trimmed off both ends.
func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
  guard let base = b.baseAddress else { return b }
  var lo = 0
  var hi = b.count
  while lo < hi && (base[lo] == 0x20 || base[lo] == 0x09) { lo += 1 }
  while hi > lo && (base[hi - 1] == 0x20 || base[hi - 1] == 0x09) { hi -= 1 }
  return UnsafeBufferPointer(start: base + lo, count: hi - lo)
}

func hasHighByte(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
  for c in b where c >= 0x80 { return true }
  return false
}

/// Where `=` is in the line; nil when there is none.
func equalsSign(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
  guard let base = b.baseAddress, let p = memchr(base, 0x3D, b.count) else { return nil }
  return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
}

/// Every distinct key is decoded and looked up once: later lines find it by its bytes. The
/// dense ids let the parser spot a repeated key without hashing strings.
struct KeyTable {
  static let capacity = 1024
  private var entries: [(bytes: [UInt8], info: KeyInfo)] = []
  private var slots = [Int32](repeating: -1, count: 4096)

  /// The key's id (-1 when the table is full and the key is new) and meaning; nil when the
  /// bytes do not decode.
  mutating func lookup(_ b: UnsafeBufferPointer<UInt8>, _ decoder: LineDecoder) -> (
    id: Int, info: KeyInfo
  )? {
    var hash: UInt32 = 2_166_136_261
    for c in b { hash = (hash ^ UInt32(c)) &* 16_777_619 }
    var slot = Int(hash & 4095)
    while true {
      let index = Int(slots[slot])
      if index < 0 { break }
      let entry = entries[index]
      if entry.bytes.count == b.count
        && entry.bytes.withUnsafeBufferPointer({
          b.isEmpty || memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0
        })
      {
        return (index, entry.info)
      }
      slot = (slot + 1) & 4095
    }
    guard let name = decoder.decode(b) else { return nil }
    let info = KeyInfo(name)
    guard entries.count < Self.capacity else { return (-1, info) }
    slots[slot] = Int32(entries.count)
    entries.append((Array(b), info))
    return (entries.count - 1, info)
  }
}

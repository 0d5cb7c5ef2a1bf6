import Foundation

/// The transfer encodings of mail bodies and headers, on bytes.
public enum MIMEDecode {
  static let base64Values: [Int8] = {
    var t = [Int8](repeating: -1, count: 256)
    for (i, ch) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8
      .enumerated()
    {
      t[Int(ch)] = Int8(i)
    }
    // The URL-safe alphabet, which some mailers use in encoded words.
    t[Int(UInt8(ascii: "-"))] = 62
    t[Int(UInt8(ascii: "_"))] = 63
    return t
  }()

  /// Base64 with line breaks and white space ignored; decoding stops at padding. `strict`
  /// refuses other characters and a dangling sixth of a byte (nil); otherwise they are skipped.
  /// The error position is the byte offset of the first bad character, for messages.
  public static func base64(_ bytes: ArraySlice<UInt8>, strict: Bool) -> [UInt8]? {
    var bad = 0
    return base64(bytes, strict: strict, badAt: &bad)
  }

  static func base64(_ bytes: ArraySlice<UInt8>, strict: Bool, badAt: inout Int) -> [UInt8]? {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 3 / 4)
    var acc: UInt32 = 0
    var n = 0
    var offset = 0
    for b in bytes {
      defer { offset += 1 }
      if b == UInt8(ascii: "=") { break }
      let v = base64Values[Int(b)]
      if v < 0 {
        if b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A { continue }
        if strict {
          badAt = offset
          return nil
        }
        continue
      }
      acc = acc << 6 | UInt32(v)
      n += 1
      if n == 4 {
        out.append(UInt8(truncatingIfNeeded: acc >> 16))
        out.append(UInt8(truncatingIfNeeded: acc >> 8))
        out.append(UInt8(truncatingIfNeeded: acc))
        acc = 0
        n = 0
      }
    }
    switch n {
    case 2: out.append(UInt8(truncatingIfNeeded: acc >> 4))
    case 3:
      out.append(UInt8(truncatingIfNeeded: acc >> 10))
      out.append(UInt8(truncatingIfNeeded: acc >> 2))
    case 1:
      if strict {
        badAt = -1
        return nil
      }
    default: break
    }
    return out
  }

  static func hex(_ b: UInt8) -> UInt8? {
    switch b {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
    default: return nil
    }
  }

  /// Quoted-printable: `=XX` bytes, soft line breaks (`=` at the end of a line) removed; a
  /// malformed `=` is kept as it is (as RFC 2045 advises). In encoded words `_` is a space.
  public static func quotedPrintable(_ bytes: ArraySlice<UInt8>, underscoreIsSpace: Bool = false)
    -> [UInt8]
  {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = bytes.startIndex
    let end = bytes.endIndex
    while i < end {
      let b = bytes[i]
      if b == UInt8(ascii: "=") {
        if i + 1 < end, bytes[i + 1] == 0x0A {
          i += 2
          continue
        }
        if i + 2 < end, bytes[i + 1] == 0x0D, bytes[i + 2] == 0x0A {
          i += 3
          continue
        }
        if i + 2 < end, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) {
          out.append(h << 4 | l)
          i += 3
          continue
        }
        // `=` followed by spaces then the end of the line: a soft break with trailing blanks.
        var j = i + 1
        while j < end, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
        if j > i + 1, j < end, bytes[j] == 0x0A || bytes[j] == 0x0D {
          i = bytes[j] == 0x0D && j + 1 < end && bytes[j + 1] == 0x0A ? j + 2 : j + 1
          continue
        }
        if i + 1 == end {
          i += 1
          continue
        }
        out.append(b)
      } else if underscoreIsSpace && b == UInt8(ascii: "_") {
        out.append(0x20)
      } else {
        out.append(b)
      }
      i += 1
    }
    return out
  }

  /// `%XX` escapes (RFC 2231 values).
  static func percent(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
    var out: [UInt8] = []
    var i = bytes.startIndex
    while i < bytes.endIndex {
      if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.endIndex, let h = hex(bytes[i + 1]),
        let l = hex(bytes[i + 2])
      {
        out.append(h << 4 | l)
        i += 3
      } else {
        out.append(bytes[i])
        i += 1
      }
    }
    return out
  }
}

/// HTML turned into plain text, never rendered: tags dropped (scripts, styles and the head with
/// their contents), block elements made line breaks, character references decoded, white space
/// collapsed. Nothing in the HTML is fetched or run.
public enum MailHTML {
  static let blocks: Set<String> = [
    "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote",
    "ul", "ol", "pre", "hr", "dt", "dd", "section", "article", "header", "footer",
  ]
  static let hidden: Set<String> = ["script", "style", "head", "title", "template", "noscript"]
  static let entities: [String: String] = [
    "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "laquo": "«",
    "raquo": "»", "mdash": "—", "ndash": "–", "hellip": "…", "copy": "©", "reg": "®",
    "trade": "™", "euro": "€", "bull": "•", "middot": "·", "ldquo": "“", "rdquo": "”",
    "bdquo": "„", "lsquo": "‘", "rsquo": "’", "shy": "", "times": "×", "deg": "°", "sect": "§",
    "numero": "№", "zwnj": "", "zwj": "",
  ]

  public static func text(_ html: String) -> String {
    let c = Array(html.unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    var skipUntil: String?
    while i < c.count {
      let ch = c[i]
      if ch == "<" {
        // A comment, a declaration or a tag: find its end (quotes respected in tags).
        if i + 3 < c.count, c[i + 1] == "!", c[i + 2] == "-", c[i + 3] == "-" {
          var j = i + 4
          while j + 2 < c.count, !(c[j] == "-" && c[j + 1] == "-" && c[j + 2] == ">") { j += 1 }
          i = min(c.count, j + 3)
          continue
        }
        var j = i + 1
        var quote: Unicode.Scalar?
        while j < c.count {
          if let q = quote {
            if c[j] == q { quote = nil }
          } else if c[j] == "\"" || c[j] == "'" {
            quote = c[j]
          } else if c[j] == ">" {
            break
          }
          j += 1
        }
        var name = ""
        var k = i + 1
        let closing = k < c.count && c[k] == "/"
        if closing { k += 1 }
        while k < j, k < c.count, c[k].properties.isAlphabetic || ("0"..."9").contains(c[k]) {
          name.unicodeScalars.append(c[k])
          k += 1
        }
        name = name.lowercased()
        i = min(c.count, j + 1)
        if let s = skipUntil {
          if closing && name == s { skipUntil = nil }
          continue
        }
        if !closing && hidden.contains(name) {
          skipUntil = name
          continue
        }
        if blocks.contains(name) { out.append("\n") }
        if name == "td" || name == "th" { out.append(" ") }
        continue
      }
      if skipUntil != nil {
        i += 1
        continue
      }
      if ch == "&" {
        var j = i + 1
        var name = ""
        while j < c.count, j - i < 12, c[j] != ";",
          c[j].properties.isAlphabetic
            || ("0"..."9").contains(c[j]) || c[j] == "#"
        {
          name.unicodeScalars.append(c[j])
          j += 1
        }
        if j < c.count, c[j] == ";" || name.hasPrefix("#") {
          var value: String?
          if name.hasPrefix("#x") || name.hasPrefix("#X") {
            value = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map {
              String($0)
            }
          } else if name.hasPrefix("#") {
            value = UInt32(name.dropFirst()).flatMap(Unicode.Scalar.init).map { String($0) }
          } else {
            value = entities[name.lowercased()]
          }
          if let value {
            out.append(contentsOf: value.unicodeScalars)
            i = j < c.count && c[j] == ";" ? j + 1 : j
            continue
          }
        }
      }
      out.append(ch == "\r" || ch == "\n" || ch == "\t" ? " " : ch)
      i += 1
    }
    return tidy(String(out))
  }

  /// Runs of spaces made one, lines trimmed, at most one empty line in a row.
  static func tidy(_ s: String) -> String {
    var lines: [String] = []
    var empty = 0
    for raw in s.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = raw.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
      if line.isEmpty {
        empty += 1
        if empty > 1 || lines.isEmpty { continue }
      } else {
        empty = 0
      }
      lines.append(line)
    }
    while lines.last?.isEmpty == true { lines.removeLast() }
    return lines.joined(separator: "\n")
  }
}

/// HTML or XML text with `& < > "` as entities and `'` as `apostrophe` (`&#39;` in our HTML,
/// `&apos;` in XML): safe in element content and quoted attributes.
func escapeMarkup(_ s: String, apostrophe: String) -> String {
  var out = ""
  out.reserveCapacity(s.utf8.count)
  for ch in s {
    switch ch {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += apostrophe
    default: out.append(ch)
    }
  }
  return out
}

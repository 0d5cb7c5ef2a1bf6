import Foundation
import Testing

@testable import TerminalUI

@Suite struct TerminalInputSafetyTests {
  @Test func pastedTextLosesEscapeSequencesAndControlCharacters() {
    #expect(TextSanitizer.clean("abc") == "abc")
    #expect(TextSanitizer.clean("a\u{1B}[31;1mb\u{1B}[0mc") == "abc")
    #expect(TextSanitizer.clean("x\u{1B}]0;evil title\u{07}y") == "xy")
    #expect(TextSanitizer.clean("x\u{1B}]8;;http://e\u{1B}\\y") == "xy")
    #expect(TextSanitizer.clean("x\u{1B}OPy") == "xy")
    #expect(TextSanitizer.clean("x\u{9B}2Jy") == "xy")
    #expect(TextSanitizer.clean("one\r\ntwo\tthree") == "one two three")
    #expect(TextSanitizer.clean("\u{0}\u{7}\u{8}\u{7F}\u{85}ё") == "ё")
    #expect(TextSanitizer.clean("trailing\u{1B}") == "trailing")
    #expect(TextSanitizer.clean("\u{1B}[") == "")
    for text in ["\u{1B}[200~Ромашка\u{1B}[201~", "a\u{1B}\u{1B}[Ab", "日本\u{1B}Xq"] {
      #expect(!TextSanitizer.clean(text).unicodeScalars.contains { $0.value < 0x20 })
    }
  }

  @Test func textInputRefusesControlCharactersAndCleansPastes() {
    var input = TextInput("ab")
    for c in ["\u{1B}", "\u{9B}", "\r\n"] {
      let used = input.handle(.char(Character(c)))
      #expect(!used)
    }
    _ = input.handle(.left)
    let pasted = input.handle(.paste("\u{1B}[1mX\u{1B}[0m\nY"))
    #expect(pasted)
    #expect(input.text == "aX Yb")
    #expect(input.cursor == 4)
    var canvas = Canvas(size: Size(rows: 1, cols: 10))
    input.draw(&canvas, row: 0, col: 0, width: 10, style: .plain, focused: true)
    #expect(canvas.line(0).hasPrefix("aX Yb"))
  }

  @Test func bidirectionalControlsAreShownNeutralised() {
    // «Ромашка» followed by a right-to-left override and a reversed name: on screen the
    // override is a visible replacement character, so the name cannot pass for another.
    var canvas = Canvas(size: Size(rows: 1, cols: 20))
    canvas.put(0, 0, "Ромашка\u{202E}ток\u{2066}x\u{200F}")
    #expect(canvas.line(0).hasPrefix("Ромашка\u{FFFD}ток\u{FFFD}x\u{FFFD}"))
    #expect(TextSanitizer.display("a\u{202E}b\n\tc\u{1B}[2J") == "a\u{FFFD}b\n\tc\u{FFFD}[2J")
    #expect(
      TextSanitizer.display("Обычный текст, «кавычки» — тире") == "Обычный текст, «кавычки» — тире")
  }

  @Test func controlBytesThatAreNoKeysAreDropped() {
    #expect(NCursesTerminal.characterKey(0) == nil)
    for code: UInt32 in [28, 29, 30, 31, 0x80, 0x9B, 0x9F] {
      #expect(NCursesTerminal.characterKey(code) == nil)
    }
    #expect(NCursesTerminal.characterKey(27) == .escape)
    #expect(NCursesTerminal.characterKey(19) == .ctrl("s"))
    #expect(NCursesTerminal.characterKey(0x44F) == .char("я"))
  }

  @Test func dumbUnsetAndRedirectedTerminalsAreRefusedWithAClearMessage() {
    func reason(_ env: [String: String], tty: Bool = true) -> TerminalError? {
      NCursesTerminal.unsupportedReason(environment: env, stdinIsTTY: tty, stdoutIsTTY: tty)
    }
    #expect(reason(["TERM": "xterm-256color"]) == nil)
    #expect(reason(["TERM": "dumb"]) == .unsupportedTerminal("TERM is dumb"))
    #expect(reason(["TERM": ""]) == .unsupportedTerminal("TERM is not set"))
    #expect(reason([:]) == .unsupportedTerminal("TERM is not set"))
    #expect(reason(["TERM": "xterm"], tty: false) == .notATerminal)
    let en = TerminalError.unsupportedTerminal("TERM is dumb").message(russian: false)
    #expect(
      en
        == "crm needs a full-screen terminal (TERM is dumb); use the subcommands, e.g. crm client list, or run in a terminal emulator"
    )
    let ru = TerminalError.notATerminal.message(russian: true)
    #expect(ru.contains("полноэкранный терминал"))
    #expect(ru.contains("crm client list"))
  }

  @Test func theSizeNoticeWrapsToAnyWidth() {
    let lines = ["Terminal too small", "20×10 now, at least 80×24 needed"]
    for (rows, cols) in [(10, 20), (1, 1), (3, 5), (0, 0), (24, 80)] {
      var canvas = Canvas(size: Size(rows: rows, cols: cols))
      drawTooSmall(&canvas, lines: lines)
      for r in 0..<rows { #expect(TextWidth.of(canvas.line(r)) <= cols) }
    }
    #expect(
      wrap("20×10 now, at least 80×24 needed", width: 20) == [
        "20×10 now, at least", "80×24 needed",
      ])
    #expect(wrap("abcdef", width: 4) == ["abcd", "ef"])
  }
}

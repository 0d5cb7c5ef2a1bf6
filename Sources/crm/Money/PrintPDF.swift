import ArgumentParser
import CRMCore
import CRMExchange
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

let pdfHelp: ArgumentHelp = tr(
  "A PDF (A4) instead of text, written to --out or to «Счёт-12-2026-12-07.pdf» in the current folder; prints the file's path.",
  "PDF (A4) вместо текста: в файл --out или «Счёт-12-2026-12-07.pdf» в текущей папке; выводит путь к файлу."
)

/// Writes the PDF of `form` to `out` (`-`: standard output, refused on a terminal) or to the
/// document's own name in the current folder, through the safe writer, and prints the path.
func emitPDF(
  _ form: DocumentForm, _ kind: DocumentForm.Kind, id: Int64, out: String?, _ session: Session
) throws {
  let g = session.global
  let l = g.language
  if out == "-" && isatty(STDOUT_FILENO) == 1 {
    throw Failure(
      message: l.pick(
        "a PDF is not shown on a terminal: give --out FILE or redirect standard output",
        "PDF не выводится на терминал: укажите --out ФАЙЛ или перенаправьте вывод"), code: 1)
  }
  let data: Data
  do {
    data = try DocumentPDF.render(form)
  } catch {
    throw Failure(message: "PDF: \(error)", code: 1)
  }
  let path = try out ?? defaultPDFName(kind, id: id, session)
  try writeAtomically(data, to: path, g)
  if path != "-" { print(path) }
}

/// «Счёт-12-2026-12-07.pdf» from the document's number and date.
func defaultPDFName(_ kind: DocumentForm.Kind, id: Int64, _ session: Session) throws -> String {
  try DocumentPDF.fileName(kind, id: id, context: session.context)
}

#ifndef TERMCRM_CQRENCODE_SHIM_H
#define TERMCRM_CQRENCODE_SHIM_H

// libqrencode: QR code symbols (ISO/IEC 18004) for the payment QR code of ГОСТ Р 56042-2014.
#include <qrencode.h>

#endif

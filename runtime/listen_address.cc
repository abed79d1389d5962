#include "runtime/listen_address.h"

// CKVM is header-only (constants from <linux/kvm.h>); this file exists so the target has a source file.
#include "CKVM.h"

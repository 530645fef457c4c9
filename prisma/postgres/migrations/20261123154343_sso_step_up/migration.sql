-- CreateTable
CREATE TABLE "SsoStepUp" (
    "state" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "sessionId" TEXT NOT NULL,
    "intentId" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "codeVerifier" TEXT NOT NULL,
    "maxAge" INTEGER NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),

    CONSTRAINT "SsoStepUp_pkey" PRIMARY KEY ("state")
);

-- CreateIndex
CREATE INDEX "SsoStepUp_userId_idx" ON "SsoStepUp"("userId");

// One typed call per tag family of the corpus (the part of a tag before `∙`, e.g.
// 基础支付 for 基础支付∙退款), each family's endpoint with the fewest required
// fields: the call must compile as written, resolve to the documented status, and
// its data must be typed (a field's exact type, never any or unknown).
// tests/types/api.test.mjs checks that every family of api/ has a call here.
// Values are placeholders ('x', 1, the first enum value): only the types matter.
import type { Wxpay, WxpayResponse } from 'wxpay-wasm';
import type { Equal, Expect } from './equal.cjs';

declare const wxpay: Wxpay;
type IsAnyOrUnknown<T> = unknown extends T ? true : false;

// ETC授权扣费: 通过商户ETC绑定号查询签约状态 (GET /v3/vehicle/etc/contracts/{contract_id})
const r1 = await wxpay.v3.vehicle.etc.contracts._contract_id_.get({ contract_id: 'x' });
type _r1s = Expect<Equal<typeof r1.status, 200>>;
type _r1d = Expect<Equal<typeof r1.data.appid, string>>;
// 乘车服务: 查询订单 (GET /v3/qrcode/transactions/out-trade-no/{out_trade_no})
const r2 = await wxpay.v3.qrcode.transactions.outTradeNo.$out_trade_no$.get({ out_trade_no: 'x' });
type _r2s = Expect<Equal<typeof r2.status, 200>>;
type _r2d = Expect<Equal<typeof r2.data.appid, string | undefined>>;
// 企业支付: 查询可用商户范围列表 (GET /v3/webizpay/avail-mch-ranges)
const r3 = await wxpay.v3.webizpay.availMchRanges.get({ params: { sp_mchid: 'x' } });
type _r3s = Expect<Equal<typeof r3.status, 200>>;
type _r3d = Expect<Equal<typeof r3.data.sp_mchid, string>>;
// 会员卡: 查询回调地址API (GET /v3/marketing/membercard-open/callback)
const r4 = await wxpay.v3.marketing.membercardOpen.callback.get();
type _r4s = Expect<Equal<typeof r4.status, 200>>;
type _r4d = Expect<Equal<typeof r4.data.notify_url, string>>;
// 修改商家简称: 查询商户简称变更申请单状态-使用申请单号 (GET /v3/mchalterapply/merchantnamealterapplyment/{apply_id})
const r5 = await wxpay.v3.mchalterapply.merchantnamealterapplyment._apply_id_.get({ apply_id: 'x' });
type _r5s = Expect<Equal<typeof r5.status, 200>>;
type _r5d = Expect<Equal<typeof r5.data.apply_id, string>>;
// 停车缴费服务: 查询停车场信息 (GET /v3/parking/reminders/parking-lot)
const r6 = await wxpay.v3.parking.reminders.parkingLot.get();
type _r6s = Expect<Equal<typeof r6.status, 200>>;
type _r6d = Expect<Equal<typeof r6.data.wx_parking_lot_id, string | undefined>>;
// 免密支付: 商户通过商户协议号查询协议API (GET /v3/password-exempt-contract/contracts/service-id/{service_id}/out-contract-code/{out_contract_code})
const r7 = await wxpay.v3.passwordExemptContract.contracts.serviceId._service_id_.outContractCode._out_contract_code_.get({ service_id: 'x', out_contract_code: 'x' });
type _r7s = Expect<Equal<typeof r7.status, 200>>;
type _r7d = Expect<Equal<typeof r7.data.mchid, string>>;
// 出租车电子发票: 获取司机信息API (GET /v3/taxi-invoice/drivers/{driver_license})
const r8 = await wxpay.v3.taxiInvoice.drivers.$driver_license$.get({ driver_license: 'x', params: { region_id: 1 } });
type _r8s = Expect<Equal<typeof r8.status, 200>>;
type _r8d = Expect<Equal<typeof r8.data.driver_name, string>>;
// 刷脸支付: 查询机构信息接口 (GET /v3/offlinefacemch/organizations)
const r9 = await wxpay.v3.offlinefacemch.organizations.get();
type _r9s = Expect<Equal<typeof r9.status, 200>>;
type _r9d = Expect<Equal<typeof r9.data.organization_id, string | undefined>>;
// 医保支付: 使用医保自费混合订单号查看下单结果 (GET /v3/med-ins/orders/mix-trade-no/{mix_trade_no})
const r10 = await wxpay.v3.medIns.orders.mixTradeNo.$mix_trade_no$.get({ mix_trade_no: 'x' });
type _r10s = Expect<Equal<typeof r10.status, 200>>;
type _r10d = Expect<Equal<typeof r10.data.mix_trade_no, string>>;
// 变更超管: 查询超管变更申请单状态-使用申请单号 (GET /v3/mchalterapply/mchcontactalterapplyment/{apply_id})
const r11 = await wxpay.v3.mchalterapply.mchcontactalterapplyment._apply_id_.get({ apply_id: 'x' });
type _r11s = Expect<Equal<typeof r11.status, 200>>;
type _r11d = Expect<Equal<typeof r11.data.apply_id, string>>;
// 品牌: 查询商家名片配置申请状态 (GET /v3/brand/card/card-configs)
const r12 = await wxpay.v3.brand.card.cardConfigs.get({ params: { brand_id: 'x' } });
type _r12s = Expect<Equal<typeof r12.status, 200>>;
type _r12d = Expect<Equal<typeof r12.data.business_code, string>>;
// 品牌小店营销: 查询小店活动门店详情 (GET /v3/marketing/goods-subsidy-activity/retail-store-act/{brand_id}/stores/{store_code})
const r13 = await wxpay.v3.marketing.goodsSubsidyActivity.retailStoreAct._brand_id_.stores._store_code_.get({ brand_id: 'x', store_code: 'x' });
type _r13s = Expect<Equal<typeof r13.status, 200>>;
type _r13d = Expect<Equal<typeof r13.data.store_code, string | undefined>>;
// 品牌红包: 微信支付批次单号查询批次单 (GET /v3/fund-app/brand-redpacket/brand-merchant-batches/{batch_no})
const r14 = await wxpay.v3.fundApp.brandRedpacket.brandMerchantBatches.$batch_no$.get({ batch_no: 'x' });
type _r14s = Expect<Equal<typeof r14.status, 200>>;
type _r14d = Expect<Equal<typeof r14.data.brand_mchid, string>>;
// 商家充值: 查询银行转账充值结果 (GET /v3/recharge/bank-transfer-recharges/out-recharge-no/{out_recharge_no})
const r15 = await wxpay.v3.recharge.bankTransferRecharges.outRechargeNo._out_recharge_no_.get({ out_recharge_no: 'x' });
type _r15s = Expect<Equal<typeof r15.status, 200>>;
type _r15d = Expect<Equal<typeof r15.data.mchid, string>>;
// 商家名片会员: 查询会员卡模板列表 (GET /v3/brand/partner/card-member/cards)
const r16 = await wxpay.v3.brand.partner.cardMember.cards.get({ params: { brand_id: 'x' } });
type _r16s = Expect<Equal<typeof r16.status, 200>>;
type _r16d = Expect<Equal<typeof r16.data.total_count, number>>;
// 商家名片会员活动: 查询品牌会员发券活动 (GET /v3/brand/partner/card-member/membership-activities/{activity_id})
const r17 = await wxpay.v3.brand.partner.cardMember.membershipActivities._activity_id_.get({ activity_id: 'x', params: { brand_id: 'x' } });
type _r17s = Expect<Equal<typeof r17.status, 200>>;
type _r17d = Expect<Equal<typeof r17.data.out_request_no, string>>;
// 商户尽职调查: 查询子商户强化尽调单信息 (GET /v3/mch-operation-manage/enhanced-due-diligence/{due_diligence_id})
const r18 = await wxpay.v3.mchOperationManage.enhancedDueDiligence.$due_diligence_id$.get({ due_diligence_id: 'x', params: { sub_mchid: 'x' } });
type _r18s = Expect<Equal<typeof r18.status, 200>>;
type _r18d = Expect<Equal<typeof r18.data.due_diligence_id, string>>;
// 商户管理记录: 查询交易拦截申诉详情 (GET /v3/transaction-block/transaction-block-submissions/{block_submission_id})
const r19 = await wxpay.v3.transactionBlock.transactionBlockSubmissions._block_submission_id_.get({ block_submission_id: 'x' });
type _r19s = Expect<Equal<typeof r19.status, 200>>;
type _r19d = Expect<Equal<typeof r19.data.block_submission_id, string | undefined>>;
// 国补专区: 核销资格 (POST /v3/gov/subsidy/zhejiang/qualifications/sync)
const r20 = await wxpay.v3.gov.subsidy.zhejiang.qualifications.sync.post({});
type _r20s = Expect<Equal<typeof r20.status, 200>>;
type _r20d = Expect<Equal<typeof r20.data.resp_code, string>>;
// 基础支付: 合单查询订单API (GET /v3/combine-transactions/out-trade-no/{combine_out_trade_no})
const r21 = await wxpay.v3.combineTransactions.outTradeNo._combine_out_trade_no_.get({ combine_out_trade_no: 'x' });
type _r21s = Expect<Equal<typeof r21.status, 200>>;
type _r21d = Expect<Equal<typeof r21.data.combine_appid, string>>;
// 委托代扣: 查询扣费预约API (GET /v3/papay/pay/schedules/contract-id/{contract_id})
const r22 = await wxpay.v3.papay.pay.schedules.contractId.$contract_id$.get({ contract_id: 'x' });
type _r22s = Expect<Equal<typeof r22.status, 200>>;
type _r22d = Expect<Equal<typeof r22.data.schedule_state, string>>;
// 学生卡身份权益: 通过QQ账号查询核销订单列表API (GET /v3/edu-star/orders)
const r23 = await wxpay.v3.eduStar.orders.get({ params: { appid: 'x' } });
type _r23s = Expect<Equal<typeof r23.status, 200>>;
type _r23d = Expect<Equal<typeof r23.data.total_count, number>>;
// 实名校验: 实名信息校验 (GET /v3/realname/verify)
const r24 = await wxpay.v3.realname.verify.get({ params: { credential_type: 1, encrypted_credential_id: 'x', encrypted_name: 'x', wxp_trade_no: 'x' } });
type _r24s = Expect<Equal<typeof r24.status, 200>>;
type _r24d = Expect<Equal<typeof r24.data.verify_result, 0 | 1 | (number & {})>>;
// 平台保证金: 查询保证金售后赔付结果（按微信支付赔付单号） (GET /v3/platsolution/ecommerce/mch-transfer/deposit-after-sales-compensation-bills/bill-id/{bill_id})
const r25 = await wxpay.v3.platsolution.ecommerce.mchTransfer.depositAfterSalesCompensationBills.billId._bill_id_.get({ bill_id: 'x' });
type _r25s = Expect<Equal<typeof r25.status, 200>>;
type _r25d = Expect<Equal<typeof r25.data.sp_mchid, string>>;
// 微信保单服务: 查询保单授权信息 (GET /v3/inspolicymgr/deduct/authorizations/{out_insurance_no})
const r26 = await wxpay.v3.inspolicymgr.deduct.authorizations.$out_insurance_no$.get({ out_insurance_no: 'x' });
type _r26s = Expect<Equal<typeof r26.status, 200>>;
type _r26d = Expect<Equal<typeof r26.data.out_insurance_no, string>>;
// 微信分付: 商户贴息-获取微信分付曝光建议 (POST /v3/pay/instal/exposure)
const r27 = await wxpay.v3.pay.instal.exposure.post({ mchid: 'x', appid: 'x', user_id_type: 'UNKNOWN_USER_ID_TYPE' });
type _r27s = Expect<Equal<typeof r27.status, 200>>;
type _r27d = Expect<Equal<typeof r27.data.recommend_exposure, boolean>>;
// 微信刷掌: 服务关联预授权 (POST /v3/palmservice/authorization/preauthorize)
const r28 = await wxpay.v3.palmservice.authorization.preauthorize.post({ openid: 'x' });
type _r28s = Expect<Equal<typeof r28.status, 200>>;
type _r28d = Expect<Equal<typeof r28.data.permission_token, string>>;
// 微信寄快递: 用户openid转换API (POST /v3/express/users/{openid}/transform)
const r29 = await wxpay.v3.express.users._openid_.transform.post({ appid: 'x' }, { openid: 'x' });
type _r29s = Expect<Equal<typeof r29.status, 200>>;
type _r29d = Expect<Equal<typeof r29.data.openid, string>>;
// 支付中签约: APP下单并签约 (POST /v3/pay/transactions/app-with-contract)
const r30 = await wxpay.v3.pay.transactions.appWithContract.post({ appid: 'x', mchid: 'x', description: 'x', out_trade_no: 'x', notify_url: 'x', amount: { total: 1 }, contract_info: { plan_id: 'x', contract_mchid: 'x', contract_appid: 'x', contract_code: 'x', request_serial: 'x', contract_display_account: 'x' } });
type _r30s = Expect<Equal<typeof r30.status, 200>>;
type _r30d = Expect<Equal<typeof r30.data.prepay_id, string>>;
// 支付分: 查询先享后付订单 (GET /v3/payscore/payafter-orders)
const r31 = await wxpay.v3.payscore.payafterOrders.get();
type _r31s = Expect<Equal<typeof r31.status, 200>>;
type _r31d = Expect<Equal<typeof r31.data.appid, string | undefined>>;
// 支付码牌: 查询音箱绑定信息 (GET /v3/pay-devices/open-scenario-speaker/{device_sn})
const r32 = await wxpay.v3.payDevices.openScenarioSpeaker.$device_sn$.get({ device_sn: 'x' });
type _r32s = Expect<Equal<typeof r32.status, 200>>;
type _r32d = Expect<Equal<typeof r32.data.sub_mchid, string>>;
// 收付通: 查询在途异常资金付款结果 (GET /v3/abnormal-fund-processing/receipts/{receipt_id})
const r33 = await wxpay.v3.abnormalFundProcessing.receipts._receipt_id_.get({ receipt_id: 'x' });
type _r33s = Expect<Equal<typeof r33.status, 200>>;
type _r33d = Expect<Equal<typeof r33.data.product_name, 'C2C' | (string & {})>>;
// 教育续费通: 微信订单号查单API (GET /v3/edu-papay/transactions/id/{transaction_id})
const r34 = await wxpay.v3.eduPapay.transactions.id.$transaction_id$.get({ transaction_id: 'x' });
type _r34s = Expect<Equal<typeof r34.status, 200>>;
type _r34d = Expect<Equal<typeof r34.data.sp_mchid, string>>;
// 智慧经营: 回传SN和商品编码 (POST /v3/industry-rebate/retail-industry/transactions)
const r35 = await wxpay.v3.industryRebate.retailIndustry.transactions.post({ sub_mchid: 'x', out_trade_no: 'x' });
type _r35 = Expect<Equal<typeof r35, WxpayResponse<'', 204>>>;
// 服务商: 查询结算账户API (GET /v3/apply4sub/sub_merchants/{sub_mchid}/settlement)
const r36 = await wxpay.v3.apply4sub.sub_merchants.$sub_mchid$.settlement.get({ sub_mchid: 'x' });
type _r36s = Expect<Equal<typeof r36.status, 200>>;
type _r36d = Expect<Equal<typeof r36.data.account_type, 'ACCOUNT_TYPE_BUSINESS' | 'ACCOUNT_TYPE_PRIVATE' | (string & {})>>;
// 未分类: 个人收款-查询批量结算信息 (GET /v3/platsolution/ecommerce/settle/prepay-settle-orders/{settle_batch_no})
const r37 = await wxpay.v3.platsolution.ecommerce.settle.prepaySettleOrders._settle_batch_no_.get({ settle_batch_no: 'x' });
type _r37s = Expect<Equal<typeof r37.status, 200>>;
type _r37d = Expect<Equal<typeof r37.data.out_settle_batch_no, string>>;
// 校园轻松付: 通过协议号查询签约API (GET /v3/eduschoolpay/contracts/{contract_id})
const r38 = await wxpay.v3.eduschoolpay.contracts.$contract_id$.get({ contract_id: 'x' });
type _r38s = Expect<Equal<typeof r38.status, 200>>;
type _r38d = Expect<Equal<typeof r38.data.contract_id, string>>;
// 渠道服务: 查询商户影像件资料 (GET /v3/aggracct-bc/wb-channel/account/mch_media)
const r39 = await wxpay.v3.aggracctBc.wbChannel.account.mch_media.get({ params: { business_scene: 'SJT_MICRO_PLUS_OPEN_ACCOUNT' } });
type _r39s = Expect<Equal<typeof r39.status, 200>>;
type _r39d = Expect<Equal<typeof r39.data.media_content, string | undefined>>;
// 爱心餐: 查询爱心餐品牌信息 (GET /v3/lovefeast/brands/{brand_id})
const r40 = await wxpay.v3.lovefeast.brands.$brand_id$.get({ brand_id: 'x' });
type _r40s = Expect<Equal<typeof r40.status, 200>>;
type _r40d = Expect<Equal<typeof r40.data.donate_count, number>>;
// 电动自行车行业代扣: 通过签约号查询用户状态API (GET /v3/ebike/charge/contracts/{contract_id})
const r41 = await wxpay.v3.ebike.charge.contracts._contract_id_.get({ contract_id: 'x' });
type _r41s = Expect<Equal<typeof r41.status, 200>>;
type _r41d = Expect<Equal<typeof r41.data.mchid, string>>;
// 租用充电宝: 创建保险订单 (POST /v3/hire-power-bank/insurance-orders)
const r42 = await wxpay.v3.hirePowerBank.insuranceOrders.post({});
type _r42s = Expect<Equal<typeof r42.status, 200>>;
type _r42d = Expect<Equal<typeof r42.data.order_id, string | undefined>>;
// 经营工具: 查询商户配置的开发选项 (GET /v3/new-tax-control-fapiao/merchant/development-config)
const r43 = await wxpay.v3.newTaxControlFapiao.merchant.developmentConfig.get();
type _r43s = Expect<Equal<typeof r43.status, 200>>;
type _r43d = Expect<Equal<typeof r43.data.callback_url, string>>;
// 结算规则管理: 根据申请单ID查询结果API (GET /v3/merchant-settlement/merchant-settle-rule-applications/{application_id})
const r44 = await wxpay.v3.merchantSettlement.merchantSettleRuleApplications.$application_id$.get({ application_id: 'x' });
type _r44s = Expect<Equal<typeof r44.status, 200>>;
type _r44d = Expect<Equal<typeof r44.data.application_id, string>>;
// 自动还款: 查询自动还款协议 (GET /v3/credit-repayment/partner/contracts/{out_contract_code})
const r45 = await wxpay.v3.creditRepayment.partner.contracts._out_contract_code_.get({ out_contract_code: 'x' });
type _r45s = Expect<Equal<typeof r45.status, 200>>;
type _r45d = Expect<Equal<typeof r45.data.contract_id, string>>;
// 营销工具: 查询上传任务列表API (GET /v3/marketing/bank/packages/{package_id}/tasks)
const r46 = await wxpay.v3.marketing.bank.packages.$package_id$.tasks.get({ package_id: 'x' });
type _r46s = Expect<Equal<typeof r46.status, 200>>;
type _r46d = Expect<Equal<typeof r46.data.total_count, number>>;
// 资金应用: 商户单号查询电子回单 (GET /v3/fund-app/mch-transfer/elecsign/out-bill-no/{out_bill_no})
const r47 = await wxpay.v3.fundApp.mchTransfer.elecsign.outBillNo._out_bill_no_.get({ out_bill_no: 'x' });
type _r47s = Expect<Equal<typeof r47.status, 200>>;
type _r47d = Expect<Equal<typeof r47.data.state, 'GENERATING' | 'FINISHED' | 'FAILED' | (string & {})>>;
// 跨境: 获取分账账单文件下载地址API (GET /v3/global/profit-sharing/bill-download-url)
const r48 = await wxpay.v3.global.profitSharing.billDownloadUrl.get();
type _r48s = Expect<Equal<typeof r48.status, 200>>;
type _r48d = Expect<Equal<typeof r48.data.download_url, string>>;
// 运营工具: 获取商品券事件通知地址 (GET /v3/marketing/partner/product-coupon/notify-configs)
const r49 = await wxpay.v3.marketing.partner.productCoupon.notifyConfigs.get();
type _r49s = Expect<Equal<typeof r49.status, 200>>;
type _r49d = Expect<Equal<typeof r49.data.notify_url, string>>;
// 还款支付: 还款单查询 (GET /v3/repayment/combine-transactions/partner/out-trade-no/{combine_out_trade_no})
const r50 = await wxpay.v3.repayment.combineTransactions.partner.outTradeNo.$combine_out_trade_no$.get({ combine_out_trade_no: 'x' });
type _r50s = Expect<Equal<typeof r50.status, 200>>;
type _r50d = Expect<Equal<typeof r50.data.combine_appid, string>>;
// 通用接口: 查询省份列表API (GET /v3/capital/capitallhh/areas/provinces)
const r51 = await wxpay.v3.capital.capitallhh.areas.provinces.get();
type _r51s = Expect<Equal<typeof r51.status, 200>>;
type _r51d = Expect<Equal<typeof r51.data.total_count, number>>;
// 风险合规: 查询商户开户意愿申请单审核结果API (GET /v3/apply4subject/applyment)
const r52 = await wxpay.v3.apply4subject.applyment.get();
type _r52s = Expect<Equal<typeof r52.status, 200>>;
type _r52d = Expect<Equal<typeof r52.data.applyment_state, 'APPLYMENT_STATE_WAITTING_FOR_AUDIT' | 'APPLYMENT_STATE_WAITTING_FOR_CONFIRM_CONTACT' | 'APPLYMENT_STATE_WAITTING_FOR_CONFIRM_LEGALPERSON' | 'APPLYMENT_STATE_PASSED' | 'APPLYMENT_STATE_FREEZED' | 'APPLYMENT_STATE_EDITTING' | 'APPLYMENT_STATE_AUDITING' | 'APPLYMENT_STATE_REJECTED' | 'APPLYMENT_STATE_TO_BE_CONFIRMED' | 'APPLYMENT_STATE_TO_BE_SIGNED' | 'APPLYMENT_STATE_SIGNING' | 'APPLYMENT_STATE_FINISHED' | 'APPLYMENT_STATE_CANCELED' | (string & {})>>;
// 风险管理: 查询风险订单 (POST /v3/merchant-risk-manage/ec-trade-risk/query-risk-trades)
const r53 = await wxpay.v3.merchantRiskManage.ecTradeRisk.queryRiskTrades.post({});
type _r53s = Expect<Equal<typeof r53.status, 200>>;
type _r53d = Expect<Equal<typeof r53.data.total_num, number | undefined>>;
export {};
